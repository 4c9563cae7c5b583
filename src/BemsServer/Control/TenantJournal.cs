using BemsServer.Protocol.Admin;

namespace BemsServer.Control;

/// <summary>
/// One tenant's recorded frames: a bounded ring (oldest dropped first, counted) plus the wait-for requests still waiting.
/// Appended to only by <see cref="FrameJournal"/>'s background loop, read by admin queries.
/// </summary>
internal sealed class TenantJournal
{
    private readonly Lock _gate = new();
    private readonly Queue<JournalEntry> _entries = new();
    private readonly List<(JournalFilter Filter, TaskCompletionSource<JournalEntry> Waiter)> _waiters = [];
    private long _dropped;
    private long _lastSeq;

    public void Append(JournalEntry entry, int capacity)
    {
        List<TaskCompletionSource<JournalEntry>>? matched = null;
        lock (_gate)
        {
            _entries.Enqueue(entry);
            _lastSeq = entry.Seq;
            while (_entries.Count > capacity)
            {
                _entries.Dequeue();
                _dropped++;
            }
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (!_waiters[i].Filter.Matches(entry)) continue;
                (matched ??= []).Add(_waiters[i].Waiter);
                _waiters.RemoveAt(i);
            }
        }
        // Completed outside the lock: continuations run on the thread pool.
        if (matched is not null) foreach (var waiter in matched) waiter.TrySetResult(entry);
    }

    /// <summary>Frames that could not be journaled: pushed out of the ring, or refused while the journal was behind.</summary>
    public void CountDropped() => Interlocked.Increment(ref _dropped);

    public JournalPage Query(JournalFilter filter, int limit)
    {
        lock (_gate)
            return new JournalPage(_dropped, _lastSeq, [.. _entries.Where(filter.Matches).Take(limit)]);
    }

    /// <summary>The first frame matching the filter, already recorded or still to come; null when the wait times out.</summary>
    public async Task<JournalEntry?> WaitForAsync(JournalFilter filter, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var waiter = new TaskCompletionSource<JournalEntry>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            foreach (var entry in _entries)
                if (filter.Matches(entry)) return entry;
            _waiters.Add((filter, waiter));
        }
        try
        {
            // Wall-clock timeout on purpose: a virtual clock must not make a test wait forever.
            return await waiter.Task.WaitAsync(timeout, TimeProvider.System, cancellationToken);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            lock (_gate) _waiters.RemoveAll(w => w.Waiter == waiter);
            return null;
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _entries.Clear();
            _dropped = 0;
        }
    }
}
