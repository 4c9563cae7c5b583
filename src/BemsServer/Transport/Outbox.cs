using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Tasks.Sources;
using BemsServer.Protocol;
using Nerdbank.Streams;

namespace BemsServer.Transport;

/// <summary>
/// The only writer of a connection's socket. Frames are queued here in the order the session half hands them over and
/// written one message each, encoded as they are written by the session half's <see cref="IFrameEncoder"/> (which
/// numbers them, so numbering follows wire order).
/// A client that lets more than the configured number of frames or bytes pile up, or whose socket completes no send for
/// the stall timeout while frames wait (it stopped reading), is cut off rather than slowing anyone else or holding the
/// server's memory: the outbox takes no more frames, drops those queued, stops writing after the frame on the wire and
/// tells its connection, which ends the session and closes the socket with 1008. A frame with a
/// <see cref="OutboundFrame.Receipt"/> reports whether it was written or dropped (a chat message's sender gets COMPLETE
/// only for a message a socket send took). Frames queued together leave in one socket send when the socket's stream is
/// batched (<see cref="SendBatch"/>).
/// </summary>
internal sealed class Outbox(
    WebSocket socket, SendBatch? batch, OutboxLimits limits, Action<SlowConsumer> onCut, TimeProvider? time = null,
    Diagnostics.BemsMetrics? metrics = null)
{
    // Nobody waits on the queue itself (the wake signal says when to look); a cut drains it beside the writer. The queue
    // is made when the first frame comes (a connection that never gets one holds none) and let go after a large burst.
    private readonly Lock _queueGate = new();
    private Queue<OutboundFrame>? _frames;
    private bool _completed;
    private readonly WakeSignal _wake = new();
    private const int InitialQueueCapacity = 4;
    private const int LargestKeptQueue = 64;
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private Writing? _writing;
    private int _draining;
    private Exception? _failure;
    private readonly Lock _stallGate = new();
    private int _queued;
    private long _queuedBytes;
    private volatile bool _cut;
    private volatile bool _sending;
    private long _sendingSince;
    private ITimer? _stallTimer;
    private bool _stallArmed;

    /// <summary>Whether the outbox was cut off (too much queued, or a stalled socket).</summary>
    public bool IsCut => _cut;

    /// <summary>Why it was cut off (set before <see cref="IsCut"/>, and before the writer can see the queue end).</summary>
    public SlowConsumer CutReason { get; private set; }

    /// <summary>Frames queued and not yet written: a client that does not read its socket lets them pile up.</summary>
    public int Queued => Volatile.Read(ref _queued);

    /// <summary>A send is pending and watched for a stall (its start recorded): for tests that must act after it.</summary>
    internal bool SendPending => _sending;

    /// <summary>Queues a frame; a frame it cannot take (cut off, completed, over a limit) has its receipt told dropped.</summary>
    public void Send(OutboundFrame frame)
    {
        if (_cut)
        {
            frame.Receipt?.Dropped();
            return;
        }
        var bytes = frame.EstimatedBytes;
        if (Interlocked.Increment(ref _queued) > limits.MaxFrames | Interlocked.Add(ref _queuedBytes, bytes) > limits.MaxBytes)
        {
            Interlocked.Decrement(ref _queued);
            // Stryker disable once Statement,Unary : once cut, nothing reads the byte count again (Send returns at _cut first)
            Interlocked.Add(ref _queuedBytes, -bytes);
            frame.Receipt?.Dropped();
            Cut(SlowConsumer.Queue);
            return;
        }
        if (!TryEnqueue(frame))
        {
            Interlocked.Decrement(ref _queued);
            Interlocked.Add(ref _queuedBytes, -bytes);
            frame.Receipt?.Dropped();
            return;
        }
        metrics?.FrameQueued();
        if (Deferral.Current is { } deferral) deferral.Add(this); // written when the caller's work ends, on its thread
        else Wake();
    }

    /// <summary>
    /// Writes what is queued on this thread if nobody is writing now (<see cref="Deferral"/>'s end, outside every lock):
    /// sends that complete at once, the usual case, need no other thread; one that does not goes on asynchronously.
    /// </summary>
    internal void Flush()
    {
        if (Volatile.Read(ref _writing) is not { } writing || Interlocked.CompareExchange(ref _draining, 1, 0) != 0) return; // not started, or the writer is at it
        _ = DrainAsync(writing, inline: true); // it catches what it throws; the writer task learns of the end by a wake
    }

    private void Wake() => _wake.Set();

    private bool TryEnqueue(OutboundFrame frame)
    {
        lock (_queueGate)
        {
            if (_completed) return false;
            (_frames ??= new Queue<OutboundFrame>(InitialQueueCapacity)).Enqueue(frame);
            return true;
        }
    }

    private bool TryDequeue([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out OutboundFrame? frame)
    {
        lock (_queueGate)
        {
            if (_frames is null || !_frames.TryDequeue(out frame))
            {
                frame = null;
                return false;
            }
            if (_frames.Count == 0 && _frames.Capacity > LargestKeptQueue) _frames = null; // a burst's array is not kept for good
            return true;
        }
    }

    private bool HasQueued
    {
        get
        {
            lock (_queueGate) return _frames is { Count: > 0 };
        }
    }

    /// <summary>Completed (no more frames taken) and nothing left queued.</summary>
    private bool IsFinished
    {
        get
        {
            lock (_queueGate) return _completed && _frames is not { Count: > 0 };
        }
    }

    private void CompleteQueue()
    {
        lock (_queueGate) _completed = true;
    }

    private void Cut(SlowConsumer reason)
    {
        lock (_stallGate)
        {
            // Stryker disable once Statement : reached only when two cuts race; it keeps onCut to one call
            if (_cut) return;
            CutReason = reason;
            _cut = true;
        }
        CompleteQueue();
        DropQueued(); // now, not when the writer gets past a send that a stalled socket may never complete
        Wake();
        metrics?.SlowConsumerCut(reason == SlowConsumer.Stall);
        onCut(reason);
    }

    /// <summary>No more frames are accepted; those already queued are still written.</summary>
    public void Complete()
    {
        CompleteQueue();
        Wake();
    }

    /// <summary>
    /// The connection's writer: writes whatever is queued when woken (frames sent from outside a <see cref="Deferral"/>,
    /// or left by a flush whose send did not complete at once), until the outbox is completed and empty, cut off, or a
    /// send fails (rethrown here).
    /// </summary>
    public async Task RunAsync(IFrameEncoder encoder, CancellationToken cancellationToken)
    {
        // Stryker disable once Initializer : the segment size the buffer rents; the bytes written are the same
        var buffer = new Sequence<byte>(ArrayPool<byte>.Shared) { MinimumSpanLength = 1024 };
        var writer = new Utf8JsonWriter(buffer, FrameSerializer.WriterOptions);
        var writing = new Writing(encoder, buffer, writer, cancellationToken);
        Volatile.Write(ref _writing, writing);
        var cancelled = cancellationToken.UnsafeRegister(static state => ((Outbox)state!).Wake(), this);
        try
        {
            while (true)
            {
                if (Interlocked.CompareExchange(ref _draining, 1, 0) == 0) await DrainAsync(writing, inline: false);
                // A flush's drain in flight holds _draining: the writer waits for its wake before it may end.
                if (_failure is { } failure) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
                if ((_cut || IsFinished) && Volatile.Read(ref _draining) == 0) return;
                cancellationToken.ThrowIfCancellationRequested();
                await _wake.WaitAsync();
            }
        }
        finally
        {
            // Nobody writes any more: frames still queued leave the queued-frames count (and no more are taken).
            await cancelled.DisposeAsync();
            Volatile.Write(ref _writing, null);
            var drainInFlight = Interlocked.Exchange(ref _draining, 1) != 0; // and nobody starts one any more
            CompleteQueue();
            DropQueued();
            if (!drainInFlight)
            {
                // A send still in flight (its connection is going) keeps its buffer: the collector takes it instead of the pool.
                await writer.DisposeAsync();
                buffer.Dispose();
            }
            // Stryker disable once Statement : frees the timer; a later firing finds no send pending and does nothing
            lock (_stallGate) _stallTimer?.Dispose();
        }
    }

    /// <summary>
    /// Writes the queued frames, one burst per pass; the caller holds <see cref="_draining"/>, released here. A flush's
    /// drain (<paramref name="inline"/>) wakes the writer task when it leaves something for it: the end, or a failure.
    /// </summary>
    private async Task DrainAsync(Writing writing, bool inline)
    {
        try
        {
            do
            {
                batch?.Begin(writing.Token);
                while (!_cut && TryDequeue(out var frame))
                {
                    Interlocked.Decrement(ref _queued);
                    Interlocked.Add(ref _queuedBytes, -frame.EstimatedBytes);
                    metrics?.FramesUnqueued(1);
                    var bytes = writing.Encode(frame);
                    try
                    {
                        await Watched(SendAsync(bytes, writing.Token));
                    }
                    catch
                    {
                        frame.Receipt?.Dropped();
                        throw;
                    }
                    frame.Receipt?.Written();
                    metrics?.FrameWritten(bytes.Length);
                    writing.Buffer.Reset();
                }
                if (batch is not null) await Watched(batch.EndAsync(writing.Token)); // the queue is empty: what was gathered leaves now
                Volatile.Write(ref _draining, 0);
                // A frame queued after the last look, while this pass still held the writer, is this pass's to write.
            } while (!_cut && HasQueued && Interlocked.CompareExchange(ref _draining, 1, 0) == 0);
        }
#pragma warning disable CA1031 // The writer task rethrows it; the connection ends as with any broken socket.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _failure = ex;
            Wake();
            return;
        }
        if (inline && IsFinished) Wake(); // the writer may be waiting for this drain to end
    }

    private void DropQueued()
    {
        var left = 0;
        while (TryDequeue(out var never))
        {
            Interlocked.Decrement(ref _queued);
            never.Receipt?.Dropped(); // a chat message the device never got: its sender learns it was not delivered
            left++;
        }
        if (left > 0) metrics?.FramesUnqueued(left);
    }

    /// <summary>
    /// A send that does not complete at once is watched: if none completes within the stall timeout (the client stopped
    /// reading and the network's buffers are full), the client is cut off. A send that completes synchronously, the
    /// usual case, costs nothing here.
    /// </summary>
    private async ValueTask Watched(ValueTask send)
    {
        if (send.IsCompletedSuccessfully)
        {
            // Stryker disable once Statement : consumes a completed ValueTask once (its source may be pooled); nothing observable with a Task-backed one
            send.GetAwaiter().GetResult();
            return;
        }
        lock (_stallGate)
        {
            _sendingSince = _time.GetTimestamp();
            _sending = true;
            // Stryker disable once Logical,Boolean : arming again while armed only moves the check later; it still cuts at the same instant (since + timeout)
            if (!_stallArmed && !_cut)
            {
                // Stryker disable once Boolean : see above
                _stallArmed = true;
                _stallTimer ??= _time.CreateTimer(static state => ((Outbox)state!).CheckStall(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                _stallTimer.Change(limits.StallTimeout, Timeout.InfiniteTimeSpan);
            }
        }
        try
        {
            await send;
        }
        finally
        {
            _sending = false;
        }
    }

    private void CheckStall()
    {
        lock (_stallGate)
        {
            if (!_sending || _cut)
            {
                // Stryker disable once Boolean : after a cut nothing arms it again (Watched checks _cut)
                _stallArmed = false;
                return;
            }
            var stalled = _time.GetElapsedTime(_sendingSince);
            if (stalled < limits.StallTimeout)
            {
                _stallTimer!.Change(limits.StallTimeout - stalled, Timeout.InfiniteTimeSpan);
                return;
            }
            // Stryker disable once Boolean : the cut that follows ends all arming
            _stallArmed = false;
        }
        Cut(SlowConsumer.Stall);
    }

    private async ValueTask SendAsync(ReadOnlySequence<byte> bytes, CancellationToken cancellationToken)
    {
        // Batched, the WebSocket's write lands in the batch, whose writes to the socket take the connection's token:
        // the WebSocket is given none, which spares it a registration and a slower path per send.
        if (batch is not null) cancellationToken = CancellationToken.None;
        if (bytes.IsSingleSegment)
        {
            await socket.SendAsync(bytes.First, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
            return;
        }
        // A large frame spans pooled segments: send it as one contiguous message.
        // Stryker disable once Checked : a frame larger than MaxQueuedBytes is never queued, so none comes near 2 GB
        var length = checked((int)bytes.Length);
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            bytes.CopyTo(rented);
            await socket.SendAsync(rented.AsMemory(0, length), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        }
        finally
        {
            // Stryker disable once Statement : returning the rented array to the pool only saves an allocation later
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}

/// <summary>
/// Defers the outbox writes a thread's work causes to the work's end: a request dispatched on a connection's read loop
/// sends its answers and pushes (often under a service's lock, where no socket may be written); at the end of the
/// dispatch, outside every lock, the outboxes it filled are flushed on the same thread (<see cref="Outbox.Flush"/>),
/// including those filled by the flushes themselves (a delivered message's COMPLETE). No thread-pool hop for the
/// common case; a connection nobody writes to now is woken as before.
/// </summary>
internal sealed class Deferral : IDisposable
{
    [ThreadStatic]
    private static Deferral? t_current;

    [ThreadStatic]
    private static Deferral? t_spare;

    private readonly List<Outbox> _outboxes = [];

    private Deferral()
    {
    }

    /// <summary>The deferral open on this thread, if any.</summary>
    public static Deferral? Current => t_current;

    /// <summary>Opens a deferral on this thread; null (nothing to dispose) when one is open already, which flushes.</summary>
    public static Deferral? Begin()
    {
        if (t_current is not null) return null;
        var deferral = t_spare ?? new Deferral();
        t_spare = null;
        return t_current = deferral;
    }

    internal void Add(Outbox outbox)
    {
        if (!_outboxes.Contains(outbox)) _outboxes.Add(outbox);
    }

    /// <summary>
    /// Flushes every outbox the work filled, and those the flushes fill, then closes the deferral. The last filled goes
    /// first: a SendMessage fills the sender's outbox (PROCESSING), then the recipient's, whose flush writes the message
    /// and so queues the sender's COMPLETE; flushed after it, the sender's outbox sends PROCESSING and COMPLETE in one
    /// write. Each outbox still writes its own frames in the order they came.
    /// </summary>
    public void Dispose()
    {
        try
        {
            while (_outboxes.Count > 0)
            {
                var last = _outboxes.Count - 1;
                var outbox = _outboxes[last];
                _outboxes.RemoveAt(last); // one filled again by a later flush is added, and flushed, anew
                outbox.Flush();
            }
        }
        finally
        {
            _outboxes.Clear();
            t_current = null;
            t_spare = this;
        }
    }
}

/// <summary>
/// What one connection may let pile up before it is cut off (<c>Bems:Transport:MaxQueuedFrames</c>, <c>MaxQueuedBytes</c>),
/// and how long its socket may take no bytes while frames wait (<c>Bems:Transport:StallTimeout</c>).
/// </summary>
internal readonly record struct OutboxLimits(int MaxFrames, long MaxBytes, TimeSpan StallTimeout);

/// <summary>The writer's encoding state, shared by whoever drains (the writer task or a flush), one at a time.</summary>
internal sealed class Writing(IFrameEncoder encoder, Sequence<byte> buffer, Utf8JsonWriter writer, CancellationToken token)
{
    public Sequence<byte> Buffer { get; } = buffer;
    public CancellationToken Token { get; } = token;

    public ReadOnlySequence<byte> Encode(OutboundFrame frame)
    {
        writer.Reset(Buffer);
        encoder.Encode(writer, frame);
        writer.Flush();
        var bytes = Buffer.AsReadOnlySequence;
        encoder.Encoded(frame, bytes);
        return bytes;
    }
}

/// <summary>Why a client was cut off as a slow consumer.</summary>
internal enum SlowConsumer
{
    /// <summary>More frames or bytes waited for it than the limits allow.</summary>
    Queue,

    /// <summary>Its socket completed no send for the stall timeout while frames waited.</summary>
    Stall,
}

/// <summary>
/// Wakes one waiter (the outbox's writer task) when set; a set with nobody waiting is kept for the next wait, and sets
/// while one is kept add nothing. One small object reused for the connection's life, where a one-slot channel held
/// several (its queue, its waiter records) for each idle connection.
/// </summary>
internal sealed class WakeSignal : IValueTaskSource
{
    private const int Idle = 0, Kept = 1, Waiting = 2;
    private ManualResetValueTaskSourceCore<bool> _core = new() { RunContinuationsAsynchronously = true };
    private int _state;

    /// <summary>Wakes the waiter, or keeps the wake for its next <see cref="WaitAsync"/>.</summary>
    public void Set()
    {
        while (true)
        {
            switch (Volatile.Read(ref _state))
            {
                case Kept:
                    return;
                case Idle when Interlocked.CompareExchange(ref _state, Kept, Idle) == Idle:
                    return;
                case Waiting when Interlocked.CompareExchange(ref _state, Idle, Waiting) == Waiting:
                    _core.SetResult(true);
                    return;
            }
        }
    }

    /// <summary>Completes when set (at once if a wake was kept); one waiter at a time.</summary>
    public ValueTask WaitAsync()
    {
        if (Interlocked.CompareExchange(ref _state, Idle, Kept) == Kept) return default;
        _core.Reset();
        if (Interlocked.CompareExchange(ref _state, Waiting, Idle) == Idle) return new ValueTask(this, _core.Version);
        Volatile.Write(ref _state, Idle); // set between the two looks: take it
        return default;
    }

    void IValueTaskSource.GetResult(short token) => _core.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
