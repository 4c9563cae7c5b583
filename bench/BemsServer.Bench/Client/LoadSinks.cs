using System.Diagnostics;

namespace BemsServer.Bench.Client;

/// <summary>Message counts of one load phase; any disagreement is a correctness failure.</summary>
internal sealed record LoadCounts(long Sent, long Processing, long Complete, long Delivered, long Errors, long Unexpected)
{
    /// <summary>True when every sent message got exactly one PROCESSING, COMPLETE and delivery, with no errors.</summary>
    public bool Ok => Errors == 0 && Unexpected == 0 && Processing == Sent && Complete == Sent && Delivered == Sent;
}

/// <summary>
/// Closed loop: one SendMessage in flight per pair. A message is done when the sender
/// has its COMPLETE and the recipient its MessageReceived (R1: when the echo is back);
/// the pair then sends the next one at once, from whichever receive loop finished it.
/// </summary>
/// <summary>The six counts a load phase keeps, incremented from the client's receive threads.</summary>
internal sealed class LoadCounters
{
#pragma warning disable CA1051 // Fields, so that callers can pass them to Interlocked.
    public long Sent;
    public long Processing;
    public long Complete;
    public long Delivered;
    public long Errors;
    public long Unexpected;
#pragma warning restore CA1051

    public LoadCounts Snapshot() => new(
        Interlocked.Read(ref Sent),
        Interlocked.Read(ref Processing),
        Interlocked.Read(ref Complete),
        Interlocked.Read(ref Delivered),
        Interlocked.Read(ref Errors),
        Interlocked.Read(ref Unexpected));
}

internal sealed class ClosedLoopSink(Pair[] pairs, bool bems) : IFrameSink
{
    /// <summary>Load sequence numbers start here so they never meet set-up request ids.</summary>
    public const long SeqBase = 1_000_000;

    private long _seq = SeqBase;
    private readonly LoadCounters _counters = new();
    private long _completed;
    private long _latencyTicks;
    private int _inflight;
    private volatile bool _stopping;

    public long Completed => Interlocked.Read(ref _completed);

    public long LatencyTicks => Interlocked.Read(ref _latencyTicks);

    public LoadCounts Counts => _counters.Snapshot();

    public void Start()
    {
        foreach (var p in pairs)
        {
            p.Sender.Sink = this;
            p.Recipient.Sink = this;
        }

        _inflight = pairs.Length;
        foreach (var p in pairs)
        {
            SendNext(p);
        }
    }

    /// <summary>Stops sending new messages and waits (bounded) for the ones in flight.</summary>
    public async Task<bool> StopAndDrainAsync(TimeSpan timeout)
    {
        _stopping = true;
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (Volatile.Read(ref _inflight) > 0 && Stopwatch.GetTimestamp() < deadline)
        {
            await Task.Delay(5);
        }

        return Volatile.Read(ref _inflight) == 0;
    }

    private void SendNext(Pair p)
    {
        var seq = Interlocked.Increment(ref _seq);
        p.Remaining = bems ? 2 : 1;
        p.SentTimestamp = Stopwatch.GetTimestamp();
        Volatile.Write(ref p.CurrentSeq, seq);
        Interlocked.Increment(ref _counters.Sent);
        try
        {
            var send = p.Sender.SendAsync(p.Template.Write(seq));
            if (!send.IsCompletedSuccessfully)
            {
                _ = AwaitSendAsync(send, p);
            }
        }
#pragma warning disable CA1031 // A failed send is counted, not thrown into a receive loop.
        catch (Exception)
#pragma warning restore CA1031
        {
            Fail(p);
        }
    }

    private async Task AwaitSendAsync(ValueTask send, Pair p)
    {
        try
        {
            await send;
        }
#pragma warning disable CA1031
        catch (Exception)
#pragma warning restore CA1031
        {
            Fail(p);
        }
    }

    public void OnFrame(WsConn conn, in Frame frame)
    {
        var p = conn.Pair;
        if (p is null)
        {
            Interlocked.Increment(ref _counters.Unexpected);
            return;
        }

        var current = Volatile.Read(ref p.CurrentSeq);
        if (frame.IsError)
        {
            Interlocked.Increment(ref _counters.Errors);
            Fail(p);
            return;
        }

        if (!bems)
        {
            if (frame.ClientId == current)
            {
                Interlocked.Increment(ref _counters.Processing);
                Interlocked.Increment(ref _counters.Complete);
                Interlocked.Increment(ref _counters.Delivered);
                Done(p);
            }
            else
            {
                Interlocked.Increment(ref _counters.Unexpected);
            }

            return;
        }

        if (ReferenceEquals(conn, p.Sender))
        {
            if (frame.ClientId < 0)
            {
                return; // Events for the sender (e.g. a late InvitationUpdate) are not part of the load.
            }

            if (frame.ClientId != current)
            {
                Interlocked.Increment(ref _counters.Unexpected);
            }
            else if (frame.State == FrameState.Processing)
            {
                Interlocked.Increment(ref _counters.Processing);
            }
            else if (frame.State == FrameState.Complete)
            {
                Interlocked.Increment(ref _counters.Complete);
                Done(p);
            }
        }
        else if (frame.Method == FrameMethod.MessageReceived)
        {
            if (frame.MessageSeq != current)
            {
                Interlocked.Increment(ref _counters.Unexpected);
            }
            else
            {
                Interlocked.Increment(ref _counters.Delivered);
                Done(p);
            }
        }
    }

    private void Done(Pair p)
    {
        if (Interlocked.Decrement(ref p.Remaining) != 0)
        {
            return;
        }

        Interlocked.Add(ref _latencyTicks, Stopwatch.GetTimestamp() - p.SentTimestamp);
        Interlocked.Increment(ref _completed);
        if (_stopping)
        {
            Interlocked.Decrement(ref _inflight);
        }
        else
        {
            SendNext(p);
        }
    }

    /// <summary>Takes the pair out of the loop after an error.</summary>
    private void Fail(Pair p)
    {
        if (Interlocked.Exchange(ref p.Remaining, int.MinValue / 2) > 0)
        {
            Interlocked.Decrement(ref _inflight);
        }
    }

    public void OnUnparsable(WsConn conn) => Interlocked.Increment(ref _counters.Unexpected);

    public void OnClosed(WsConn conn, Exception? error)
    {
        Interlocked.Increment(ref _counters.Errors);
        if (conn.Pair is { } p)
        {
            Fail(p);
        }
    }
}

/// <summary>
/// Open loop: a scheduler sends message k at its intended time; this sink stamps the
/// arrival of its PROCESSING, COMPLETE and delivery (R1: the echo stamps all three).
/// Slots are indexed by k, so recording needs no lock and no dictionary.
/// </summary>
internal sealed class OpenLoopSink(int capacity, bool bems) : IFrameSink
{
    public const long SeqBase = ClosedLoopSink.SeqBase;

    public long[] Sent { get; } = new long[capacity];
    public long[] Processing { get; } = new long[capacity];
    public long[] Complete { get; } = new long[capacity];
    public long[] Delivered { get; } = new long[capacity];

    private readonly LoadCounters _counters = new();

    public LoadCounts Counts => _counters.Snapshot();

    public void Attach(Pair[] pairs)
    {
        foreach (var p in pairs)
        {
            p.Sender.Sink = this;
            p.Recipient.Sink = this;
        }
    }

    /// <summary>Called by the scheduler thread just before it sends message k.</summary>
    public void MarkSent(int k, long timestamp)
    {
        Sent[k] = timestamp;
        Interlocked.Increment(ref _counters.Sent);
    }

    public void OnFrame(WsConn conn, in Frame frame)
    {
        if (frame.IsError)
        {
            Interlocked.Increment(ref _counters.Errors);
            return;
        }

        var now = Stopwatch.GetTimestamp();
        if (!bems)
        {
            var k = frame.ClientId - SeqBase;
            if (Stamp(Processing, k, now, ref _counters.Processing))
            {
                Stamp(Complete, k, now, ref _counters.Complete);
                Stamp(Delivered, k, now, ref _counters.Delivered);
            }

            return;
        }

        if (ReferenceEquals(conn, conn.Pair?.Sender))
        {
            if (frame.ClientId < 0)
            {
                return;
            }

            var k = frame.ClientId - SeqBase;
            if (frame.State == FrameState.Processing)
            {
                Stamp(Processing, k, now, ref _counters.Processing);
            }
            else if (frame.State == FrameState.Complete)
            {
                Stamp(Complete, k, now, ref _counters.Complete);
            }
        }
        else if (frame.Method == FrameMethod.MessageReceived)
        {
            Stamp(Delivered, frame.MessageSeq - SeqBase, now, ref _counters.Delivered);
        }
    }

    private bool Stamp(long[] slots, long k, long now, ref long counter)
    {
        if (k < 0 || k >= slots.Length || Interlocked.CompareExchange(ref slots[k], now, 0) != 0)
        {
            Interlocked.Increment(ref _counters.Unexpected);
            return false;
        }

        Interlocked.Increment(ref counter);
        return true;
    }

    public void OnUnparsable(WsConn conn) => Interlocked.Increment(ref _counters.Unexpected);

    public void OnClosed(WsConn conn, Exception? error) => Interlocked.Increment(ref _counters.Errors);
}
