using System.Net.WebSockets;
using BemsServer.Control;
using BemsServer.Diagnostics;
using BemsServer.Dispatch;
using BemsServer.Features.Sessions;
using BemsServer.Hosting;
using BemsServer.Protocol;
using BemsServer.Tenancy;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.VisualStudio.Threading;

namespace BemsServer.Transport;

/// <summary>
/// Owns one client connection's lifetime: socket → message handler → StreamJsonRpc → dispatcher, plus the outbox that
/// writes. Every part is complete when built, in one place here. When the connection ends, however it ends, the
/// session is signed out and the socket closed.
/// </summary>
public sealed partial class BemsConnection(
    MethodTable methods, ServerStats stats, TimeProvider time, IOptions<TransportOptions> options, ILoggerFactory loggers, FrameJournal journal,
    IHostApplicationLifetime lifetime, IOptions<ShutdownOptions> shutdown)
{
    /// <summary>The close reason a client cut off for not reading gets (with 1008).</summary>
    internal const string SlowConsumerReason = "Too much queued for this client: it does not read fast enough.";

    private static long _nextId;
    private readonly ILogger _rpcLogger = loggers.CreateLogger("BemsServer.Rpc");
    private readonly ILogger _logger = loggers.CreateLogger<BemsConnection>();

    public async Task RunAsync(WebSocket socket, SendBatch? batch, Tenant tenant, string deviceCookie, CancellationToken aborted)
    {
        var id = "conn-" + Interlocked.Increment(ref _nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        var limits = options.Value;
        ConnectionHandle? control = null;
        Outbox? outbox = null;
        var cut = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var client = new ClientConnection(id, tenant, deviceCookie, connection =>
        {
            control = tenant.Control.Attach(connection, journal);
            return outbox = new Outbox(socket, batch, new WireCounters(Wire.SequenceBase(time.GetUtcNow())),
                new OutboxLimits(limits.MaxQueuedFrames, limits.MaxQueuedBytes),
                onOverflow: () =>
                {
                    // Runs on the thread of whoever delivered the frame too many: the connection ends on its own task.
                    LogSlowConsumer(_logger, id, limits.MaxQueuedFrames, limits.MaxQueuedBytes);
                    cut.TrySetResult();
                },
                connection.Outcomes, control, tenant.Metrics);
        });
        using var handle = control!;
        var handler = new BemsMessageHandler(socket, client.Outbox, tenant.Metrics, limits.MaxMessageBytes, journal.Inbound(client));
        // One request at a time, in arrival order: a client's SendMessages must not overtake each other.
        var oneAtATime = new NonConcurrentSynchronizationContext(sticky: false);
        using var rpc = new BemsJsonRpc(handler, new Dispatcher(methods, client, _rpcLogger, oneAtATime), oneAtATime, _logger);
        // A stopping server (Kestrel no longer accepts) lets the requests already read be answered, then says goodbye.
        using var stopping = lifetime.ApplicationStopping.Register(
            () => _ = GoingAwayAsync(oneAtATime, tenant.Chats.ExpirePending, handle.Close, shutdown.Value.DrainTimeout));

        stats.ConnectionOpened();
        LogConnected(_logger, id, tenant.Name);
        var writing = outbox!.RunAsync(stop.Token);
        try
        {
            rpc.StartListening();
            await Task.WhenAny(rpc.Completion, writing, cut.Task);
        }
#pragma warning disable CA1031 // A broken connection is an ordinary end of a connection.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogConnectionFailed(_logger, id, ex);
        }
        finally
        {
            // Through the connection's gate: a BeginSession still queued behind the close can no longer sign in.
            if (client.End() is { } session)
            {
                tenant.Sessions.Disconnected(session);
                stats.SessionEnded();
            }
            stats.ConnectionClosed();
            outbox.Complete();
            var (status, reason) = outbox.IsCut
                ? (WebSocketCloseStatus.PolicyViolation, SlowConsumerReason)
                : (handle.CloseStatus, handle.CloseReason);
            await CloseAsync(socket, writing, stop, status, reason, rpc.Completion);
            LogDisconnected(_logger, id);
        }
    }

    /// <summary>
    /// Runs after every request already handed to the connection's one-at-a-time dispatch (bounded by the drain
    /// timeout), ends the tenant's pending invitations (a message queued behind one still gets its one outcome), then
    /// closes with 1001: queued frames still go out first, then the close frame.
    /// </summary>
    private static async Task GoingAwayAsync(SynchronizationContext dispatch, Action expirePending, Action<int, string?> close, TimeSpan drainTimeout)
    {
        var drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        dispatch.Post(static state => ((TaskCompletionSource)state!).TrySetResult(), drained);
        try
        {
            await drained.Task.WaitAsync(drainTimeout);
        }
        catch (TimeoutException)
        {
            // Past the drain timeout the client is told to go anyway.
        }
        expirePending();
        close((int)WebSocketCloseStatus.EndpointUnavailable, "server shutting down");
    }

    internal static async Task CloseAsync(WebSocket socket, Task writing, CancellationTokenSource stop, WebSocketCloseStatus status, string? reason, Task reading)
    {
        try
        {
            // Let queued frames go out, then close politely; a client that does not read is cut off.
            await writing.WaitAsync(TimeSpan.FromSeconds(5));
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await socket.CloseOutputAsync(status, reason, timeout.Token);
                await reading.WaitAsync(timeout.Token); // a server-initiated close: read the client's reply before tearing down
            }
        }
#pragma warning disable CA1031
        catch (Exception)
#pragma warning restore CA1031
        {
            socket.Abort();
        }
        finally
        {
            await stop.CancelAsync();
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Connection {ConnectionId} opened on tenant {Tenant}")]
    private static partial void LogConnected(ILogger logger, string connectionId, string tenant);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Connection {ConnectionId} closed")]
    private static partial void LogDisconnected(ILogger logger, string connectionId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Connection {ConnectionId} ended abnormally")]
    internal static partial void LogConnectionFailed(ILogger logger, string connectionId, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Connection {ConnectionId} let more than {MaxQueuedFrames} frames or {MaxQueuedBytes} bytes be queued; closing it (1008)")]
    internal static partial void LogSlowConsumer(ILogger logger, string connectionId, int maxQueuedFrames, long maxQueuedBytes);
}
