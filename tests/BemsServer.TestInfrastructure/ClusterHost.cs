using System.Net;
using System.Net.Sockets;
using BemsServer.Testing;

namespace BemsServer.TestInfrastructure;

/// <summary>
/// Two emulator nodes in cluster mode (<c>Bems:Cluster:Mode=Orleans</c>, Localhost membership) in this process, each on
/// its own loopback HTTP port and silo ports, sharing the host's clock. Client connections alternate between the nodes,
/// so every test that connects two clients has them on different nodes; <see cref="BemsHost.BaseAddress"/> (admin
/// calls) is the first node, which forwards a tenant's admin requests to the node holding it.
/// </summary>
public class ClusterHost : BemsHost
{
    private readonly (int[] Ports, string ClusterId) _cluster;
    private BemsEmulator? _second;
    private int _connections;

    private readonly Dictionary<string, string?> _extra;

    public ClusterHost() : this([])
    {
    }

    /// <summary>Two nodes with these settings besides the cluster's.</summary>
    protected ClusterHost(Dictionary<string, string?> settings)
        : this(settings, ([FreePort(), FreePort(), FreePort(), FreePort()], "test-" + Guid.NewGuid().ToString("N")[..8]))
    {
    }

    private ClusterHost(Dictionary<string, string?> settings, (int[] Ports, string ClusterId) cluster)
        : base(NodeSettings(settings, cluster.Ports[0], cluster.Ports[1], null, cluster.ClusterId)) =>
        (_extra, _cluster) = (settings, cluster);

    /// <summary>The second node's HTTP address.</summary>
    public Uri SecondAddress { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var (ports, clusterId) = _cluster;
        _second = await StartServerAsync(NodeSettings(_extra, ports[2], ports[3], $"127.0.0.1:{ports[0]}", clusterId));
        SecondAddress = _second.BaseAddress;
    }

    protected override IEnumerable<IServiceProvider> Nodes => [Services, _second!.Services];

    protected override Uri Route(Uri uri) =>
        Interlocked.Increment(ref _connections) % 2 == 0 ? new UriBuilder(uri) { Port = SecondAddress.Port }.Uri : uri;

    public override async Task DisposeAsync()
    {
        if (_second is not null) await _second.DisposeAsync();
        await base.DisposeAsync();
    }

    private static Dictionary<string, string?> NodeSettings(Dictionary<string, string?> settings, int siloPort, int gatewayPort, string? primary, string clusterId) =>
        new(settings)
    {
        ["Bems:Cluster:Mode"] = "Orleans",
        ["Bems:Cluster:SiloPort"] = siloPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Bems:Cluster:GatewayPort"] = gatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Bems:Cluster:PrimarySiloEndpoint"] = primary,
        ["Bems:Cluster:ClusterId"] = clusterId,
    };

    private const int FirstPort = 20000, PortCount = 12000;
    private static int s_nextPort = Random.Shared.Next(PortCount);

    /// <summary>
    /// A free port for a silo or gateway, below Linux's ephemeral range (32768 and up): a port the system hands out for
    /// a listener on port 0 is in that range, and any client connection of a test running beside this one could take
    /// it as its source port between this check and the silo's bind ("Address already in use"). Ports are taken in
    /// turn from a random start, so hosts in this and other test processes rarely try the same one.
    /// </summary>
    public static int FreePort()
    {
        for (var attempt = 0; attempt < PortCount; attempt++)
        {
            var port = FirstPort + (Interlocked.Increment(ref s_nextPort) % PortCount);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // taken: try the next one
            }
        }
        throw new InvalidOperationException($"No free port in {FirstPort}-{FirstPort + PortCount - 1}.");
    }
}
