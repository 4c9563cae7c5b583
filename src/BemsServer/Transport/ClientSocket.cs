using System.Buffers;
using System.Net.WebSockets;
using BemsServer.Dispatch;
using BemsServer.Protocol;
using Microsoft.Extensions.Logging;

namespace BemsServer.Transport;

/// <summary>
/// The socket half of one client connection, the same on both engines: it owns the WebSocket, reads each message and
/// checks its bytes (binary, oversized; an idle connection holds no read buffer), hands it to the session half
/// (<see cref="IMessageSink"/>) in arrival order, writes the frames it is given through its <see cref="Outbox"/>
/// (byte, frame and stall limits; one socket send per burst) and closes: with 1008 when cut off as a slow consumer,
/// otherwise with the code it was told to close with. It is the session half's <see cref="IFrameLink"/> when both halves
/// are on one node.
/// </summary>
internal sealed partial class ClientSocket : IFrameLink
{
    /// <summary>The close reason a client cut off for letting too much pile up gets (with 1008).</summary>
    internal const string SlowConsumerReason = "Too much queued for this client: it does not read fast enough.";

    /// <summary>The close reason a client whose socket took no bytes for the stall timeout gets (with 1008).</summary>
    internal const string StalledReason = "This client's socket took no data for too long while frames waited: it stopped reading.";

    private const int InitialBufferBytes = 4096;
    private static readonly TimeSpan LingerAfterProtocolError = TimeSpan.FromSeconds(2);

    /// <summary>How long the answer to a client's close waits for its session to end on its tenant's node.</summary>
    private static readonly TimeSpan EndBound = TimeSpan.FromSeconds(5);
    private readonly WebSocket _socket;
    private readonly int _maxMessageBytes;
    private readonly Diagnostics.BemsMetrics? _metrics;
    private readonly ILogger _logger;
    private readonly TaskCompletionSource<SlowConsumer> _cut = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private byte[] _buffer = [];
    private volatile CloseOrder? _close;

    public ClientSocket(WebSocket socket, SendBatch? batch, string id, TransportOptions options, TimeProvider time, Diagnostics.BemsMetrics? metrics, ILogger logger)
    {
        (_socket, Id, _maxMessageBytes, _metrics, _logger) = (socket, id, options.MaxMessageBytes, metrics, logger);
        Outbox = new Outbox(socket, batch, new OutboxLimits(options.MaxQueuedFrames, options.MaxQueuedBytes, options.StallTimeout), reason =>
        {
            // Runs on the thread of whoever delivered the frame too many, or the stall timer's: the connection ends on its own task.
            if (reason == SlowConsumer.Stall) LogStalled(_logger, id, options.StallTimeout.TotalSeconds);
            else LogSlowConsumer(_logger, id, options.MaxQueuedFrames, options.MaxQueuedBytes);
            _cut.TrySetResult(reason);
        }, time, metrics);
    }

    public string Id { get; }

    public Outbox Outbox { get; }

    public int Queued => Outbox.Queued;

    /// <summary>
    /// The writer, once the connection runs: it completes when every frame it took has been written or dropped (its
    /// receipt told), after the outbox was completed or cut off.
    /// </summary>
    public Task Writer { get; private set; } = Task.CompletedTask;

    /// <summary>A send to this socket is pending (the client is not taking bytes), watched for a stall.</summary>
    internal bool SendPending => Outbox.SendPending;

    public void Send(OutboundFrame frame) => Outbox.Send(frame);

    /// <summary>Takes no more frames; those queued still go out, then the socket closes with this code.</summary>
    public void Close(int code, string? reason)
    {
        _close = new CloseOrder((WebSocketCloseStatus)code, reason);
        Outbox.Complete();
    }

    /// <summary>
    /// Runs the connection until its socket closes, drops or is cut off: reads into <paramref name="session"/>, writes
    /// what it is sent, encoded by <paramref name="encoder"/>; then tells the session half it ended and closes.
    /// </summary>
    public async Task RunAsync(IMessageSink session, IFrameEncoder encoder, CancellationToken aborted)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        var writing = Outbox.RunAsync(encoder, stop.Token);
        Writer = writing;
        // The reads take no token: the WebSocket and Kestrel's pipe would each register with one on every read, and an
        // idle connection would keep both registrations for its life. A read ends with the socket: the client's close,
        // the connection's abort, or the request's end once this returns (nothing waits on it unbounded).
        var reading = ReadAsync(session);
        try
        {
            await Task.WhenAny(reading, writing, _cut.Task);
        }
        finally
        {
            var ended = Task.CompletedTask;
            try
            {
                ended = session.Ended();
            }
            finally
            {
                Outbox.Complete();
                // The outbox's own flag: the writer may end (its queue completed by the cut) before the cut is reported here.
                var (status, reason) = Outbox.IsCut
                    ? (WebSocketCloseStatus.PolicyViolation, Outbox.CutReason == SlowConsumer.Stall ? StalledReason : SlowConsumerReason)
                    : _close is { } order ? (order.Status, order.Reason) : (WebSocketCloseStatus.NormalClosure, null);
                // The client's close is answered once its session has ended (bounded: a node that does not answer does not
                // hold the socket).
                if (!ended.IsCompleted) await ended.WaitAsync(EndBound).ContinueWith(static _ => { }, TaskScheduler.Default);
                await CloseAsync(writing, stop, status, reason, reading, aborted);
            }
        }
    }

    private async Task ReadAsync(IMessageSink session)
    {
        try
        {
            while (await ReadOneAsync(session))
            {
            }
        }
#pragma warning disable CA1031 // A broken connection is an ordinary end of a connection.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogConnectionFailed(_logger, Id, ex);
        }
    }

    /// <summary>Reads one message and hands it on; false when the socket closed.</summary>
    /// <remarks>Its state machine comes from a pool: one per message read would otherwise be allocated.</remarks>
    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> ReadOneAsync(IMessageSink session)
    {
        // Wait for data without holding a buffer: an idle connection costs no read buffer.
        var first = await _socket.ReceiveAsync(Memory<byte>.Empty, CancellationToken.None);
        if (first.MessageType == WebSocketMessageType.Close) return false;
        _buffer = ArrayPool<byte>.Shared.Rent(InitialBufferBytes);
        try
        {
            // A zero-length message ends with the zero-byte read itself: it is answered, not merged into the next one.
            var (count, type, oversized) = first.EndOfMessage ? (0, first.MessageType, false) : await ReceiveMessageAsync();
            if (type == WebSocketMessageType.Close) return false;
            _metrics?.FrameRead(count);
            var refusal = type != WebSocketMessageType.Text ? SocketRefusal.Binary
                : oversized ? SocketRefusal.Oversized(_maxMessageBytes)
                : null;
            await session.Received(_buffer.AsMemory(0, count), refusal);
            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }

    /// <summary>Reads one whole message into <see cref="_buffer"/>, growing it up to the limit and discarding the rest of a larger one.</summary>
    private async ValueTask<(int Count, WebSocketMessageType Type, bool Oversized)> ReceiveMessageAsync()
    {
        var count = 0;
        var oversized = false;
        while (true)
        {
            var limit = Math.Min(_buffer.Length, _maxMessageBytes);
            if (count >= limit)
            {
                if (limit >= _maxMessageBytes)
                {
                    oversized = true;
                    count = 0;
                }
                else
                {
                    var larger = ArrayPool<byte>.Shared.Rent(Math.Min(_buffer.Length * 2, _maxMessageBytes));
                    _buffer.AsSpan(0, count).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(_buffer);
                    _buffer = larger;
                    limit = Math.Min(_buffer.Length, _maxMessageBytes);
                }
            }
            var received = await _socket.ReceiveAsync(_buffer.AsMemory(count, limit - count), CancellationToken.None);
            if (received.MessageType == WebSocketMessageType.Close) return (0, received.MessageType, oversized);
            count += received.Count;
            if (received.EndOfMessage) return (count, received.MessageType, oversized);
        }
    }

    private async Task CloseAsync(Task writing, CancellationTokenSource stop, WebSocketCloseStatus status, string? reason, Task reading, CancellationToken aborted)
    {
        try
        {
            if (_socket.State == WebSocketState.Aborted && !aborted.IsCancellationRequested)
            {
                // The WebSocket closed itself on a protocol error (1007 for a text message that is not UTF-8): it wrote its
                // close frame, then gave the stream up. Ending the request at once can tear the TCP connection down before
                // that frame leaves; the client closes once it has read it (bounded, for one that never does).
                await Task.Delay(Timeout.Infinite, aborted).WaitAsync(LingerAfterProtocolError).ContinueWith(static _ => { }, TaskScheduler.Default);
                return;
            }
            // Let queued frames go out, then close politely; a client that does not read is cut off.
            try
            {
                await writing.WaitAsync(TimeSpan.FromSeconds(5));
            }
            catch (Exception) when (_socket.State is WebSocketState.CloseSent or WebSocketState.Closed)
            {
                // The WebSocket closed itself (1007 for a text message that is not UTF-8) while the writer was sending:
                // its close frame is on its way, and aborting now could cut it off.
                return;
            }
            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _socket.CloseOutputAsync(status, reason, timeout.Token);
                await reading.WaitAsync(timeout.Token); // a server-initiated close: read the client's reply before tearing down
            }
        }
#pragma warning disable CA1031
        catch (Exception)
#pragma warning restore CA1031
        {
            _socket.Abort();
        }
        finally
        {
            await stop.CancelAsync();
        }
    }

    private sealed record CloseOrder(WebSocketCloseStatus Status, string? Reason);

    [LoggerMessage(EventId = 201, Level = LogLevel.Debug, Message = "Connection {ConnectionId} ended abnormally")]
    private static partial void LogConnectionFailed(ILogger logger, string connectionId, Exception exception);

    [LoggerMessage(EventId = 202, Level = LogLevel.Warning,
        Message = "Connection {ConnectionId} let more than {MaxQueuedFrames} frames or {MaxQueuedBytes} bytes be queued; closing it (1008)")]
    private static partial void LogSlowConsumer(ILogger logger, string connectionId, int maxQueuedFrames, long maxQueuedBytes);

    [LoggerMessage(EventId = 203, Level = LogLevel.Warning,
        Message = "Connection {ConnectionId} completed no send for {StallSeconds} s while frames were queued (it stopped reading); closing it (1008)")]
    private static partial void LogStalled(ILogger logger, string connectionId, double stallSeconds);
}
