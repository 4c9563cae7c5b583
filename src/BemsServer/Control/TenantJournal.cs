using System.Buffers;
using BemsServer.Diagnostics;
using BemsServer.Protocol.Admin;

namespace BemsServer.Control;

/// <summary>What the journal keeps about a frame beside its bytes: references to strings the connection already holds.</summary>
internal readonly record struct JournalHeader(
    DateTimeOffset Time, string Tenant, string Connection, string? Session, string? User, string Direction, string Kind, string? Method);

/// <summary>
/// One tenant's recorded frames: a <see cref="ByteRing{THeader}"/> (bounded in frames and in bytes, oldest dropped first,
/// counted) plus the wait-for requests still waiting. Frames are recorded on the thread that sent or read them, under
/// this journal's lock, with no allocation; entries are copied out of the ring only for a query, a waiter or the
/// console's live feed.
/// </summary>
internal sealed class TenantJournal
{
    private readonly Lock _gate = new();
    private readonly List<(JournalFilter Filter, TaskCompletionSource<JournalEntry> Waiter)> _waiters = [];
    private ByteRing<JournalHeader>? _ring;
    private long _lastSeq;

    /// <summary>Records a frame's bytes; returns the entry when a waiter took it or <paramref name="copy"/> asks for it.</summary>
    public JournalEntry? Record(FrameJournal owner, in JournalHeader header, ReadOnlySequence<byte> utf8, bool copy)
    {
        List<TaskCompletionSource<JournalEntry>>? matched;
        JournalEntry? entry;
        lock (_gate)
        {
            var at = Add(owner, header, (int)utf8.Length);
            var kept = at >= 0;
            if (kept)
            {
                foreach (var segment in utf8)
                {
                    _ring!.Write(at, segment.Span);
                    at += segment.Length;
                }
            }
            (entry, matched) = Filed(kept, copy);
        }
        return Release(entry, matched);
    }

    /// <inheritdoc cref="Record(FrameJournal, in JournalHeader, ReadOnlySequence{byte}, bool)"/>
    public JournalEntry? Record(FrameJournal owner, in JournalHeader header, ReadOnlySpan<byte> utf8, bool copy)
    {
        List<TaskCompletionSource<JournalEntry>>? matched;
        JournalEntry? entry;
        lock (_gate)
        {
            var at = Add(owner, header, utf8.Length);
            if (at >= 0) _ring!.Write(at, utf8);
            (entry, matched) = Filed(at >= 0, copy);
        }
        return Release(entry, matched);
    }

    /// <summary>
    /// The frames matching the filter, oldest first. Only the copying out happens under the lock every recorded frame
    /// takes; matching (which may parse each frame's JSON) happens outside it, so a query never holds up senders.
    /// </summary>
    public JournalPage Query(JournalFilter filter, int limit)
    {
        List<JournalEntry> kept;
        long dropped, lastSeq;
        lock (_gate)
        {
            kept = CopyAfter(filter.After);
            (dropped, lastSeq) = (_ring?.Dropped ?? 0, _lastSeq);
        }
        return new JournalPage(dropped, lastSeq, Matching(kept, filter, limit));
    }

    /// <summary>The first frame matching the filter, already recorded or still to come; null when the wait times out.</summary>
    public async Task<JournalEntry?> WaitForAsync(JournalFilter filter, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var waiter = new TaskCompletionSource<JournalEntry>(TaskCreationOptions.RunContinuationsAsynchronously);
        List<JournalEntry> kept;
        lock (_gate)
        {
            // Waiting from the moment of the copy: a frame recorded after it reaches the waiter, none is missed.
            kept = CopyAfter(filter.After);
            _waiters.Add((filter, waiter));
        }
        if (Matching(kept, filter, 1) is [var recorded])
        {
            Forget(waiter);
            return recorded;
        }
        try
        {
            // Wall-clock timeout on purpose: a virtual clock must not make a test wait forever.
            return await waiter.Task.WaitAsync(timeout, TimeProvider.System, cancellationToken);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            Forget(waiter);
            return null;
        }
    }

    /// <summary>The number of the last frame recorded (0 before any).</summary>
    public long LastSeq
    {
        get
        {
            lock (_gate) return _lastSeq;
        }
    }

    public void Clear()
    {
        lock (_gate) _ring?.Clear();
    }

    private List<JournalEntry> CopyAfter(long after)
    {
        var entries = new List<JournalEntry>();
        for (var i = First(after); i < (_ring?.Count ?? 0); i++) entries.Add(EntryAt(i));
        return entries;
    }

    private JournalEntry EntryAt(int i) => new(_ring!.SeqAt(i), _ring.HeaderAt(i), _ring.BytesAt(i));

    private static List<JournalEntry> Matching(List<JournalEntry> entries, JournalFilter filter, int limit)
    {
        var matching = new List<JournalEntry>();
        for (var i = 0; i < entries.Count && matching.Count < limit; i++)
            if (filter.Matches(entries[i])) matching.Add(entries[i]);
        return matching;
    }

    private void Forget(TaskCompletionSource<JournalEntry> waiter)
    {
        lock (_gate) _waiters.RemoveAll(w => w.Waiter == waiter);
    }

    private long Add(FrameJournal owner, in JournalHeader header, int length)
    {
        _ring ??= new ByteRing<JournalHeader>(owner.Capacity, owner.MaxBytes);
        // Numbered under the lock, so a tenant's frames are in sequence order.
        var seq = owner.NextSeq();
        var at = _ring.Add(seq, header, length);
        if (at >= 0) _lastSeq = seq;
        return at;
    }

    private (JournalEntry? Entry, List<TaskCompletionSource<JournalEntry>>? Matched) Filed(bool kept, bool copy)
    {
        if (!kept || (!copy && _waiters.Count == 0)) return default;
        var entry = EntryAt(_ring!.Count - 1);
        List<TaskCompletionSource<JournalEntry>>? matched = null;
        for (var i = _waiters.Count - 1; i >= 0; i--)
        {
            if (!_waiters[i].Filter.Matches(entry)) continue;
            (matched ??= []).Add(_waiters[i].Waiter);
            _waiters.RemoveAt(i);
        }
        return (entry, matched);
    }

    // Completed outside the lock: continuations run on the thread pool.
    private static JournalEntry? Release(JournalEntry? entry, List<TaskCompletionSource<JournalEntry>>? matched)
    {
        if (matched is not null) foreach (var waiter in matched) waiter.TrySetResult(entry!);
        return entry;
    }

    /// <summary>The index of the first kept frame after sequence number <paramref name="after"/> (frames are in order).</summary>
    private int First(long after)
    {
        if (_ring is null) return 0;
        int low = 0, high = _ring.Count;
        while (low < high)
        {
            var mid = (low + high) / 2;
            if (_ring.SeqAt(mid) <= after) low = mid + 1;
            else high = mid;
        }
        return low;
    }
}
