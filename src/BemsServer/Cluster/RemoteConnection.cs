using BemsServer.Control;
using BemsServer.Diagnostics;
using BemsServer.Dispatch;
using BemsServer.Features.Sessions;
using BemsServer.Protocol;
using BemsServer.Tenancy;
using BemsServer.Transport;
using Microsoft.VisualStudio.Threading;

namespace BemsServer.Cluster;

/// <summary>
/// A connection whose socket is on another node, served by the node that holds its tenant: the same dispatcher, gate and
/// control handle as a local connection's, one request at a time in arrival order. Its messages are parsed here as the
/// local transport parses them, so a request's answer is the same whichever node the socket is on.
/// </summary>
internal sealed partial class RemoteConnection
{
    private readonly NonConcurrentSynchronizationContext _oneAtATime = new(sticky: false);
    private readonly ClientConnection _client;
    private readonly ConnectionHandle _handle;
    private readonly Dispatcher _dispatcher;
    private readonly InboundObserver? _journal;
    private readonly ILogger _logger;
    private RemoteOutbox? _outbox;

    public RemoteConnection(string id, Tenant tenant, string deviceCookie, NodeLink link, MethodTable methods, FrameJournal journal,
        TimeProvider time, ILogger rpcLogger, ILogger logger)
    {
        Tenant = tenant;
        _logger = logger;
        ConnectionHandle? handle = null;
        _client = new ClientConnection(id, tenant, deviceCookie, connection =>
        {
            handle = tenant.Control.Attach(connection, journal);
            return _outbox = new RemoteOutbox(id, link, connection.Outcomes, handle, new WireCounters(Wire.SequenceBase(time.GetUtcNow())));
        });
        _handle = handle!;
        _journal = journal.Inbound(_client);
        _dispatcher = new Dispatcher(methods, _client, rpcLogger, _oneAtATime);
    }

    public Tenant Tenant { get; }

    /// <summary>Queues a message for dispatch, behind the connection's earlier ones.</summary>
    public void Post(InboundMessage message) => _oneAtATime.Post(static state =>
    {
        var (self, message) = ((RemoteConnection, InboundMessage))state!;
        self.Run(message);
    }, (this, message));

    private void Run(InboundMessage message)
    {
        var request = message.RejectCode != 0
            ? InboundRequest.Fail(StreamJsonRpc.RequestId.Null, message.RejectCode, message.RejectMessage ?? "Invalid request.")
            : InboundRequest.Parse(message.Utf8);
        _journal?.Invoke(message.Utf8, request);
        var call = InboundCall.From(request);
        try
        {
            var dispatched = _dispatcher.Dispatch(call);
            if (!dispatched.IsCompleted) _ = WatchAsync(dispatched, call);
            else if (dispatched.IsFaulted) Fail(call, dispatched.Exception!.InnerException!);
        }
#pragma warning disable CA1031 // A handler's bug is answered as -32603, as the local transport does.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Fail(call, ex);
        }
    }

    private async Task WatchAsync(Task dispatched, InboundCall call)
    {
        try
        {
            await dispatched;
        }
#pragma warning disable CA1031
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Fail(call, ex);
        }
    }

    private void Fail(InboundCall call, Exception ex)
    {
        LogHandlerFailed(_logger, call.Method, ex);
        _client.Outbox.Deliver(new ErrorFrame(call.Id, ErrorCodes.InternalError, BemsJsonRpc.InternalErrorMessage, null));
    }

    /// <summary>The control plane or the tenant's node closes the connection: queued frames go first, then the close.</summary>
    public void Close(int code, string reason) => _handle.Close(code, reason);

    /// <summary>The connection is gone: returns the session to sign out, if any.</summary>
    public Session? End()
    {
        var session = _client.End();
        _dispatcher.Abandon();
        _outbox!.Stop();
        _handle.Dispose();
        return session;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Handler for {Method} failed")]
    private static partial void LogHandlerFailed(ILogger logger, string method, Exception exception);
}

/// <summary>
/// A remote connection's outbox: what a local outbox does before the socket (fault rules, request outcomes), then the
/// frame goes to the socket's node through the <see cref="NodeLink"/>, which numbers and serializes it in queue order.
/// </summary>
internal sealed class RemoteOutbox(string connection, NodeLink link, RequestOutcomes outcomes, ConnectionHandle tap, WireCounters counters)
    : IConnectionOutbox
{
    private volatile bool _completed;

    public string Connection { get; } = connection;
    public WireCounters Counters { get; } = counters;
    public IOutboxTap Tap { get; } = tap;

    /// <summary>Frames in flight to the socket's node are counted there.</summary>
    public int Queued => 0;

    public void Deliver(OutboundFrame frame)
    {
        if (!Tap.Admit(frame))
        {
            outcomes.Observe(frame);
            return;
        }
        if (_completed)
        {
            frame.Receipt?.Dropped();
            return;
        }
        link.Send(this, frame);
        outcomes.Observe(frame);
    }

    /// <summary>No more frames; the socket's node closes the connection (with the code the control plane chose) after those sent.</summary>
    public void Complete()
    {
        if (_completed) return;
        _completed = true;
        link.Close(this, (int)tap.CloseStatus, tap.CloseReason);
    }

    /// <summary>The connection ended: nothing more is sent.</summary>
    public void Stop() => _completed = true;
}
