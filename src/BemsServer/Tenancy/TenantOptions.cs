using System.ComponentModel.DataAnnotations;

namespace BemsServer.Tenancy;

/// <summary><c>Bems:Tenants</c>: how many named tenants may exist, how long an unused one lives, and which are allowed.</summary>
internal sealed class TenantOptions
{
    public const string SectionName = "Bems:Tenants";

    /// <summary>
    /// Most named tenants alive at once (the default tenant is not counted). One tenant costs roughly 20 KB before it
    /// holds anything; 1,000 keeps a flood of made-up names to about 20 MB while serving any real test suite.
    /// </summary>
    [Range(1, 1_000_000)]
    public int Max { get; set; } = 1000;

    /// <summary>
    /// A named tenant with no connection and no parked session is forgotten after this long (on the server's clock).
    /// Zero keeps every tenant until it is deleted through the admin API.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "365.00:00:00")]
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Named tenants a client may open when <c>Bems:Auth:Mode</c> is Strict (the admin API may still create any).
    /// In open mode any valid, unreserved name is accepted.
    /// </summary>
    public string[] Allowed { get; set; } = [];
}

/// <summary>Why a tenant name was refused, if it was.</summary>
internal enum TenantRefusal
{
    None,
    InvalidName,
    Reserved,
    NotAllowed,
    Full,
}
