using System.ComponentModel.DataAnnotations;
using System.Net;

namespace BemsServer.Cluster;

/// <summary>Which engine holds the tenants' state.</summary>
internal enum ClusterMode
{
    /// <summary>The in-memory engine in this one process (the default).</summary>
    None,

    /// <summary>Several nodes, one emulator: each node runs an Orleans silo.</summary>
    Orleans,
}

/// <summary>How the nodes of a cluster find each other.</summary>
internal enum ClusterMembership
{
    /// <summary>Nodes on one machine: the first node is the primary, the others name it (development and tests).</summary>
    Localhost,

    /// <summary>A membership table in Redis (real deployments).</summary>
    Redis,
}

/// <summary><c>Bems:Cluster</c>: the engine, and this node's place in a cluster.</summary>
internal sealed class ClusterOptions : IValidatableObject
{
    public const string SectionName = "Bems:Cluster";

    public ClusterMode Mode { get; set; } = ClusterMode.None;

    public ClusterMembership Membership { get; set; } = ClusterMembership.Localhost;

    [Range(1, 65535)]
    public int SiloPort { get; set; } = 11111;

    [Range(1, 65535)]
    public int GatewayPort { get; set; } = 30000;

    /// <summary><c>host:port</c> of the first node's silo, for <see cref="ClusterMembership.Localhost"/> on the other nodes.</summary>
    public string? PrimarySiloEndpoint { get; set; }

    /// <summary>The Redis connection string for <see cref="ClusterMembership.Redis"/>.</summary>
    public string? Redis { get; set; }

    public string ClusterId { get; set; } = "bems";

    /// <summary>
    /// The address other nodes reach this node's silo at (Redis membership; Localhost membership always uses 127.0.0.1).
    /// Empty: the machine's own address.
    /// </summary>
    public string? AdvertisedAddress { get; set; }

    /// <summary>
    /// This node's HTTP address as other nodes reach it, for admin requests they forward to the node that holds a tenant.
    /// Empty: the first http:// address Kestrel listens on (a wildcard host read as 127.0.0.1).
    /// </summary>
    public string? AdminUrl { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Mode != ClusterMode.Orleans) yield break;
        if (Membership == ClusterMembership.Redis && string.IsNullOrWhiteSpace(Redis))
            yield return new ValidationResult("Bems:Cluster:Membership=Redis needs Bems:Cluster:Redis (a Redis connection string).", [nameof(Redis)]);
        if (PrimarySiloEndpoint is { Length: > 0 } primary && !IPEndPoint.TryParse(primary, out _))
            yield return new ValidationResult($"Bems:Cluster:PrimarySiloEndpoint '{primary}' is not host:port (an IP address and a port).", [nameof(PrimarySiloEndpoint)]);
        if (AdvertisedAddress is { Length: > 0 } address && !IPAddress.TryParse(address, out _))
            yield return new ValidationResult($"Bems:Cluster:AdvertisedAddress '{address}' is not an IP address.", [nameof(AdvertisedAddress)]);
        if (string.IsNullOrWhiteSpace(ClusterId))
            yield return new ValidationResult("Bems:Cluster:ClusterId must not be empty.", [nameof(ClusterId)]);
    }
}
