using System.Collections.Concurrent;
using BemsServer.Diagnostics;
using BemsServer.Dispatch;
using BemsServer.Features.Sessions;
using BemsServer.Tenancy;
using BemsServer.Transport;

namespace BemsServer.Cluster;

/// <summary>
/// The tenants this node holds in cluster mode (those whose <see cref="TenantGrain"/> is active here), and the remote
/// connections they serve: each is a <see cref="ClientConnection"/> like a local one, with its own dispatcher, dependency
/// gate and control handle, whose outbox numbers and serializes its frames here and sends them, in order, to the node
/// that holds the socket (<see cref="NodeLink"/>). The tenant's services are the in-memory engine's, unchanged.
/// </summary>
public sealed partial class ClusterEngine(
    TenantRegistry tenants, MethodTable methods, FrameJournal journal, ServerStats stats, TimeProvider time, ILoggerFactory loggers)
{
    private readonly ConcurrentDictionary<(string Node, string Connection), RemoteConnection> _connections = new();
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
        var link = _links.AddOrUpdate(node, n => new NodeLink(n, observer, _logger), (_, existing) => existing.Refresh(observer));
        var remote = new RemoteConnection(connection, tenant!, deviceCookie, link, methods, journal, time, _rpcLogger, _logger);
        _connections[(node, connection)] = remote;
        stats.ConnectionOpened();
        return new OpenAnswer(0, LocalNode, null);
    }

    public bool Dispatch(string node, string connection, InboundMessage[] messages)
    {
        if (!_connections.TryGetValue((node, connection), out var remote)) return false;
        foreach (var message in messages) remote.Post(message);
        return true;
    }

    public void Closed(string node, string connection)
    {
        if (_connections.TryRemove((node, connection), out var remote)) End(remote);
    }

    /// <summary>A node left the cluster: the sessions of its sockets end, as when a socket closes (their peers see them go).</summary>
    public void NodeLeft(string node)
    {
        var ended = 0;
        foreach (var key in _connections.Keys.Where(k => k.Node == node).ToList())
            if (_connections.TryRemove(key, out var remote))
            {
                End(remote);
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
        foreach (var (key, remote) in _connections.Where(c => c.Value.Tenant.Name == tenantName).ToList())
            if (_connections.TryRemove(key, out _))
            {
                remote.Close(ClusterEdge.ServiceRestart, "service restart: the node holding this tenant is stopping; reconnect");
                End(remote);
            }
    }

    private void End(RemoteConnection remote)
    {
        if (remote.End() is { } session)
        {
            remote.Tenant.Sessions.Disconnected(session);
            stats.SessionEnded();
        }
        stats.ConnectionClosed();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Node {Node} left the cluster: {Count} of its connections ended here")]
    private static partial void LogNodeLeft(ILogger logger, string node, int count);
}
