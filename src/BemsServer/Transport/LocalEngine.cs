using System.Globalization;
using BemsServer.Control;
using BemsServer.Diagnostics;
using BemsServer.Dispatch;
using BemsServer.Features.Sessions;
using BemsServer.Protocol;
using BemsServer.Tenancy;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BemsServer.Transport;

/// <summary>
/// The in-memory engine (one node, the default): each connection's two halves joined in this process, the socket half
/// (<see cref="ClientSocket"/>) being the session half's (<see cref="ConnectionPipeline"/>) link, with nothing between
/// them.
/// </summary>
internal sealed partial class LocalEngine(
    TenantRegistry tenants, MethodTable methods, Reconnection reconnection, ServerStats stats, TimeProvider time, IOptions<TransportOptions> options, ILoggerFactory loggers,
    FrameJournal journal, IHostApplicationLifetime lifetime, IOptions<ShutdownOptions> shutdown) : IWebSocketEngine
{
    private readonly ILogger _rpcLogger = loggers.CreateLogger("BemsServer.Rpc");
    private readonly ILogger _logger = loggers.CreateLogger<ClientSocket>();

    // The open connections (each knows its tenant) and their sockets: for the one shutdown that lets them all go
    // (registered on first use), and for Sockets.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<ConnectionPipeline, ClientSocket> _open = new();
    private readonly IOptions<ShutdownOptions> _shutdown = shutdown;
    private int _watchingStop;

    public IEnumerable<ClientSocket> Sockets => _open.Values;

    public async Task AcceptAsync(HttpContext context, string? tenantName)
    {
        if (tenantName is not null && tenants.CheckClientName(tenantName) is var named && named != TenantRefusal.None)
        {
            await WebSocketEndpoint.RefuseAsync(context, tenants.Describe(named, tenantName), named);
            return;
        }
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await WebSocketEndpoint.UpgradeRequiredAsync(context);
            return;
        }
        // Only an upgrade creates a tenant: a plain GET was answered above without creating anything.
        var tenant = tenantName is null ? tenants.Default : null;
        if (tenantName is not null && tenants.TryGetOrCreate(tenantName, out tenant) is var refusal && refusal != TenantRefusal.None)
        {
            await WebSocketEndpoint.RefuseAsync(context, tenants.Describe(refusal, tenantName), refusal);
            return;
        }
        var deviceCookie = WebSocketEndpoint.DeviceCookie(context);
        using var webSocket = await context.WebSockets.AcceptWebSocketAsync();
        var id = ProcessIds.Next("conn-");
        var socket = new ClientSocket(webSocket, SendBatch.Of(context), id, options.Value, time, tenant!.Metrics, _logger);
        var pipeline = new ConnectionPipeline(id, tenant, deviceCookie, socket, methods, reconnection, journal, time, _rpcLogger, stats);
        _open[pipeline] = socket;
        WatchStop();
        // A connection that slipped in while the server began to stop is let go at once, as the others were.
        if (lifetime.ApplicationStopping.IsCancellationRequested) _ = GoingAwayAsync([pipeline], _shutdown.Value.DrainTimeout);
        stats.ConnectionOpened();
        LogConnected(_logger, id, tenant.Name);
        try
        {
            await socket.RunAsync(pipeline, pipeline, context.RequestAborted);
        }
        finally
        {
            _open.TryRemove(pipeline, out _);
            stats.ConnectionClosed();
            LogDisconnected(_logger, id);
        }
    }

    /// <summary>
    /// One registration for the engine, not one per connection: a stopping server (Kestrel no longer accepts) lets every
    /// open connection go together.
    /// </summary>
    private void WatchStop()
    {
        if (Interlocked.Exchange(ref _watchingStop, 1) != 0) return;
        lifetime.ApplicationStopping.Register(static state =>
        {
            var engine = (LocalEngine)state!;
            _ = GoingAwayAsync([.. engine._open.Keys], engine._shutdown.Value.DrainTimeout);
        }, this);
    }

    /// <summary>
    /// Lets the connections go: each answers the requests it already read (bounded by the drain timeout); then each
    /// tenant's pending invitations end, once (a message queued behind one still gets its one outcome); only then does
    /// each connection close with 1001, its queued frames going out first. No socket closes while an outcome for it is
    /// still being delivered.
    /// </summary>
    private static async Task GoingAwayAsync(ConnectionPipeline[] open, TimeSpan drainTimeout)
    {
        await Task.WhenAll(open.Select(pipeline => pipeline.DrainAsync(drainTimeout)));
        foreach (var tenant in open.Select(static pipeline => pipeline.Tenant).Distinct()) tenant.Chats.ExpirePending();
        foreach (var pipeline in open)
            pipeline.Close((int)System.Net.WebSockets.WebSocketCloseStatus.EndpointUnavailable, "server shutting down");
    }

    [LoggerMessage(EventId = 204, Level = LogLevel.Debug, Message = "Connection {ConnectionId} opened on tenant {Tenant}")]
    private static partial void LogConnected(ILogger logger, string connectionId, string tenant);

    [LoggerMessage(EventId = 205, Level = LogLevel.Debug, Message = "Connection {ConnectionId} closed")]
    private static partial void LogDisconnected(ILogger logger, string connectionId);
}
