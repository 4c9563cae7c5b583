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
        var pipeline = new ConnectionPipeline(id, tenant, deviceCookie, socket, methods, reconnection, journal, time, _rpcLogger, session =>
        {
            if (session is null) return;
            tenant.Sessions.Disconnected(session);
            stats.SessionEnded();
        });
        // A stopping server (Kestrel no longer accepts) lets the requests already read be answered, then says goodbye.
        using var stopping = lifetime.ApplicationStopping.Register(() => _ = GoingAwayAsync(pipeline, tenant, shutdown.Value.DrainTimeout));
        stats.ConnectionOpened();
        LogConnected(_logger, id, tenant.Name);
        try
        {
            await socket.RunAsync(pipeline, pipeline, context.RequestAborted);
        }
        finally
        {
            stats.ConnectionClosed();
            LogDisconnected(_logger, id);
        }
    }

    /// <summary>
    /// Runs after every request already read (bounded by the drain timeout), ends the tenant's pending invitations (a
    /// message queued behind one still gets its one outcome), then closes with 1001: queued frames still go out first.
    /// </summary>
    private static async Task GoingAwayAsync(ConnectionPipeline pipeline, Tenant tenant, TimeSpan drainTimeout)
    {
        await pipeline.DrainAsync(drainTimeout);
        tenant.Chats.ExpirePending();
        pipeline.Close((int)System.Net.WebSockets.WebSocketCloseStatus.EndpointUnavailable, "server shutting down");
    }

    [LoggerMessage(EventId = 204, Level = LogLevel.Debug, Message = "Connection {ConnectionId} opened on tenant {Tenant}")]
    private static partial void LogConnected(ILogger logger, string connectionId, string tenant);

    [LoggerMessage(EventId = 205, Level = LogLevel.Debug, Message = "Connection {ConnectionId} closed")]
    private static partial void LogDisconnected(ILogger logger, string connectionId);
}
