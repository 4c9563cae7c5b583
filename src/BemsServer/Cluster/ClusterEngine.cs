using System.Collections.Concurrent;
using BemsServer.Control;
using BemsServer.Diagnostics;
using BemsServer.Dispatch;
using BemsServer.Features.Sessions;
using BemsServer.Protocol;
using BemsServer.Tenancy;
using BemsServer.Transport;

namespace BemsServer.Cluster;

/// <summary>
/// The tenants this node holds in cluster mode (those whose <see cref="TenantGrain"/> is active here), and the remote
/// connections they serve: each is the same session half as on one node (<see cref="ConnectionPipeline"/>), whose link
/// (<see cref="RemoteLink"/>) sends its frames, in order, to the node that holds the socket (<see cref="NodeLink"/>).
/// The tenant's services are the in-memory engine's, unchanged.
/// </summary>
internal sealed partial class ClusterEngine(
    TenantRegistry tenants, MethodTable methods, Reconnection reconnection, FrameJournal journal, ServerStats stats, TimeProvider time, ILoggerFactory loggers)
{
    private readonly ConcurrentDictionary<(string Node, string Connection), Remote> _connections = new();
    private readonly ConcurrentDictionary<string, NodeLink> _links = new(StringComparer.Ordinal);
    private readonly ILogger _rpcLogger = loggers.CreateLogger("BemsServer.Rpc");
    private readonly ILogger _logger = loggers.CreateLogger<ClusterEngine>();

    /// <summary>This node's silo address, set when the silo has started.</summary>
    public string LocalNode { get; set; } = "";

    /// <summary>This node's HTTP address, for admin requests forwarded from other nodes.</summary>
    public string AdminUrl { get; set; } = "";

    public OpenAnswer Open(string tenantName, string node, INodeObserver observer, string connection, string deviceCookie)
    {
        var refusal = tenantName == TenantRegistry.DefaultName ? TenantRefusal.None : tenants.CheckClientName(tenantName);
        Tenant? tenant = null;
        if (refusal == TenantRefusal.None) refusal = tenants.TryGetOrCreate(tenantName, out tenant);
        if (refusal != TenantRefusal.None) return new OpenAnswer((int)refusal, LocalNode, tenants.Describe(refusal, tenantName));
        var nodeLink = _links.AddOrUpdate(node, n => new NodeLink(n, observer, _logger), (_, existing) => existing.Refresh(observer));
        var link = new RemoteLink(connection, nodeLink);
        var pipeline = new ConnectionPipeline(connection, tenant!, deviceCookie, link, methods, reconnection, journal, time, _rpcLogger, stats);
        link.Encoder = pipeline;
        _connections[(node, connection)] = new Remote(pipeline, link);
        stats.ConnectionOpened();
        return new OpenAnswer(0, LocalNode, null);
    }

    /// <summary>A connection's messages, in the order its socket read them: each is read once, here.</summary>
    public bool Dispatch(string node, string connection, InboundMessage[] messages)
    {
        if (!_connections.TryGetValue((node, connection), out var remote)) return false;
        foreach (var message in messages)
            remote.Pipeline.Received(message.Utf8, message.RejectCode == 0 ? null : new SocketRefusal(message.RejectCode, message.RejectMessage ?? "Invalid request."));
        return true;
    }

    public void Receipts(string node, long[] written, long[] dropped)
    {
        if (_links.TryGetValue(node, out var link)) link.Settle(written, dropped);
    }

    public void Closed(string node, string connection)
    {
        if (_connections.TryRemove((node, connection), out var remote)) remote.End(stats);
    }

    /// <summary>A node left the cluster: the sessions of its sockets end, as when a socket closes (their peers see them go).</summary>
    public void NodeLeft(string node)
    {
        var ended = 0;
        foreach (var key in _connections.Keys.Where(k => k.Node == node).ToList())
            if (_connections.TryRemove(key, out var remote))
            {
                remote.End(stats);
                ended++;
            }
        if (_links.TryRemove(node, out var link)) link.Dispose();
        if (ended > 0) LogNodeLeft(_logger, node, ended);
    }

    /// <summary>
    /// The tenant is leaving this node (its grain deactivates: the node stops): its connections end and their nodes are
    /// told to close them with 1012, so clients reconnect to the node that holds the tenant next.
    /// </summary>
    public void Release(string tenantName)
    {
        foreach (var (key, remote) in _connections.Where(c => c.Value.Pipeline.Tenant.Name == tenantName).ToList())
            if (_connections.TryRemove(key, out _))
            {
                remote.Pipeline.Close(ClusterEdge.ServiceRestart, "service restart: the node holding this tenant is stopping; reconnect");
                remote.End(stats);
            }
    }

    private sealed record Remote(ConnectionPipeline Pipeline, RemoteLink Link)
    {
        /// <summary>Once per connection (whoever removed it from the table ends it).</summary>
        public void End(ServerStats stats)
        {
            Link.Stop();
            Pipeline.Ended();
            stats.ConnectionClosed();
        }
    }

    [LoggerMessage(EventId = 502, Level = LogLevel.Warning, Message = "Node {Node} left the cluster: {Count} of its connections ended here")]
    private static partial void LogNodeLeft(ILogger logger, string node, int count);
}
