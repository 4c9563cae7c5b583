using System.Buffers;
using System.Text.Json;
using BemsServer.Control;
using BemsServer.Dispatch;
using BemsServer.Features.Sessions;
using BemsServer.Protocol;
using BemsServer.Tenancy;
using Microsoft.Extensions.Logging;

namespace BemsServer.Transport;

/// <summary>
/// The session half of one client connection, the same code on both engines, wherever its socket is. It owns the
/// <see cref="ClientConnection"/> handlers see; reads each message once (<see cref="InboundRequest"/>), shows it to the
/// frame journal and dispatches it one at a time in arrival order (a client's SendMessages must not overtake each other);
/// answers a handler's unexpected exception with a plain -32603, never a stack trace. Its outgoing frames pass the
/// control plane's tap (fault rules), settle the requests that depend on them (<see cref="RequestOutcomes"/>) and go to
/// the socket through its <see cref="IFrameLink"/>; it numbers and serializes them in queue order
/// (<see cref="IFrameEncoder"/>), and shows their bytes to the journal.
/// </summary>
internal sealed partial class ConnectionPipeline : IMessageSink, IConnectionOutbox, IFrameEncoder
{
    /// <summary>What a client is told when the server failed on its request (the log has the exception).</summary>
    public const string InternalErrorMessage = "Internal error: the server could not handle this request; the server log has the details.";

    private readonly OneAtATime _oneAtATime = new();
    private readonly IFrameLink _link;
    private readonly ConnectionHandle _handle;
    private readonly Dispatcher _dispatcher;
    private readonly InboundObserver? _journal;
    private readonly WireCounters _counters;
    private readonly ILogger _logger;
    private readonly Diagnostics.ServerStats _stats;
    private readonly SendOrPostCallback _run;
    private int _hasEnded;

    /// <param name="stats">Counts the session the connection ends, if it had one (the engine counts the connection).</param>
    public ConnectionPipeline(string id, Tenant tenant, string deviceCookie, IFrameLink link, MethodTable methods, Reconnection reconnection,
        FrameJournal journal, TimeProvider time, ILogger rpcLogger, Diagnostics.ServerStats stats)
    {
        (_link, _logger, _stats) = (link, rpcLogger, stats);
        _run = call => Run((InboundCall)call!); // one per connection, so running a message allocates nothing more
        Tenant = tenant;
        _counters = new WireCounters(Wire.SequenceBase(time.GetUtcNow()));
        ConnectionHandle? handle = null;
        Client = new ClientConnection(id, tenant.Services, deviceCookie, connection =>
        {
            handle = tenant.Control.Attach(connection, journal);
            return this;
        });
        _handle = handle!;
        _journal = journal.Inbound(Client, tenant.Control.Journal);
        _dispatcher = new Dispatcher(methods, Client, rpcLogger, _oneAtATime, reconnection, tenant.Control.Faults.BeforeInvoke);
    }

    public ClientConnection Client { get; }

    public Tenant Tenant { get; }

    // ── inbound ──────────────────────────────────────────────────────────────────────────────────────────────────────

    public ValueTask Received(ReadOnlyMemory<byte> utf8, SocketRefusal? refusal)
    {
        var request = refusal is null ? InboundRequest.Parse(utf8) : InboundRequest.Fail(RequestId.Null, refusal.Code, refusal.Message);
        using (request.Document)
        {
            _journal?.Invoke(utf8.Span, request);
            var call = InboundCall.From(request);
            // Inline on the read loop, the call reads its params in place, from the socket's buffer, before this returns.
            // Queued behind a request posted from elsewhere, it runs later: it takes a copy of them.
            if (!_oneAtATime.TryRun(_run, call)) _oneAtATime.Post(_run, call.Owned());
        }
        return default;
    }

    private void Run(InboundCall call)
    {
        // The answers and pushes the request causes are written when it is done, on this thread (see Deferral).
        using var deferral = Deferral.Begin();
        try
        {
            var dispatched = _dispatcher.Dispatch(call);
            if (!dispatched.IsCompleted) _ = WatchAsync(dispatched, call);
            else if (dispatched.IsFaulted) Fail(call, dispatched.Exception!.InnerException!);
        }
#pragma warning disable CA1031 // A handler's bug is answered as -32603; the connection goes on.
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
        catch (OperationCanceledException)
        {
            // The connection ended while the request waited for its dependencies.
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
        Deliver(new ErrorFrame(call.Id, ErrorCodes.InternalError, InternalErrorMessage, null));
    }

    Task IMessageSink.Ended()
    {
        Ended();
        return Task.CompletedTask;
    }

    /// <summary>The socket is gone: the session ends as a closed connection (once, however many report it).</summary>
    public void Ended()
    {
        if (Interlocked.Exchange(ref _hasEnded, 1) != 0) return;
        // Through the connection's gate: a BeginSession still queued behind the close can no longer sign in.
        var session = Client.End();
        _dispatcher.Abandon(); // a wait for dependencies ends with its connection
        _handle.Dispose();
        if (session is null) return;
        Tenant.Sessions.Disconnected(session); // signed out, or parked for a background session
        _stats.SessionEnded();
    }

    /// <summary>
    /// Completes once every request already read has been dispatched (bounded by <paramref name="timeout"/>): a stopping
    /// server answers what it read before saying goodbye.
    /// </summary>
    public async Task DrainAsync(TimeSpan timeout)
    {
        var drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _oneAtATime.Post(static state => ((TaskCompletionSource)state!).TrySetResult(), drained);
        try
        {
            await drained.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            // Past the drain timeout the client is told to go anyway.
        }
    }

    /// <summary>The control plane or the engine closes the connection: queued frames go first, then the close.</summary>
    public void Close(int code, string? reason) => _handle.Close(code, reason);

    // ── outbound ─────────────────────────────────────────────────────────────────────────────────────────────────────

    public int Queued => _link.Queued;

    public void Deliver(OutboundFrame frame)
    {
        if (_handle.Admit(frame)) _link.Send(frame); // otherwise a fault took it (held, hidden or replaced)
        Client.Outcomes.Observe(frame); // after queuing: a request waiting on this one answers behind it; a fault leaves the outcome standing
    }

    /// <summary>No more frames; the socket closes, after those queued, with the code the control plane chose.</summary>
    public void Complete() => _link.Close((int)_handle.CloseStatus, _handle.CloseReason);

    public void Encode(Utf8JsonWriter writer, OutboundFrame frame) => FrameSerializer.Write(writer, frame, _counters);

    public void Encoded(OutboundFrame frame, ReadOnlySequence<byte> utf8) => _handle.Written(frame, utf8);

    [LoggerMessage(EventId = 206, Level = LogLevel.Error, Message = "Handler for {Method} failed")]
    private static partial void LogHandlerFailed(ILogger logger, string method, Exception exception);
}
