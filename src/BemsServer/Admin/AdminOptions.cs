using System.ComponentModel.DataAnnotations;

namespace BemsServer.Admin;

/// <summary><c>Bems:Admin</c>: who may call the control API.</summary>
public sealed class AdminOptions
{
    public const string SectionName = "Bems:Admin";

    /// <summary>
    /// Empty: the admin API and its OpenAPI page answer loopback clients only. Set: every admin call, from anywhere, must
    /// carry <c>Authorization: Bearer {token}</c>.
    /// </summary>
    public string? Token { get; set; }

    /// <summary>A snapshot (as exported by <c>GET /admin/snapshot</c>) imported into the default tenant at start.</summary>
    public string? SnapshotFile { get; set; }
}

/// <summary><c>Bems:Journal</c>: the frame journal.</summary>
public sealed class JournalOptions
{
    public const string SectionName = "Bems:Journal";

    /// <summary>Frames kept per tenant; older ones are dropped first (and counted). 0 turns the journal off.</summary>
    [Range(0, 10_000_000)]
    public int Capacity { get; set; } = 10_000;
}
