namespace BemsServer.Admin;

/// <summary><c>Bems:Admin</c>: who may call the control API.</summary>
internal sealed class AdminOptions
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
