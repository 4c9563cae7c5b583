namespace BemsServer.Transport;

/// <summary>
/// A connection's one-at-a-time context: work runs in the order it arrives, never two pieces at once. The read loop's
/// requests run inline on the read loop when nothing else is running (no hop to another thread); work posted from
/// elsewhere (a request whose dependencies settled, a drain) runs on the thread pool, or behind whatever is running,
/// on its thread. Set as <see cref="SynchronizationContext.Current"/> while work runs, so an await inside resumes here.
/// </summary>
/// <remarks>
/// A library context (Microsoft.VisualStudio.Threading's NonConcurrentSynchronizationContext) did this before; it
/// always posts to the thread pool, which cost every request a thread hop and ~200 B (see docs/performance.md).
/// </remarks>
internal sealed class OneAtATime : SynchronizationContext
{
    private readonly Queue<(SendOrPostCallback Work, object? State)> _queue = new();
    private bool _running;

    /// <summary>
    /// Runs the work now on this thread, then whatever was queued behind it meanwhile, and returns true; returns false,
    /// running nothing, when other work is running (the caller then posts it).
    /// </summary>
    public bool TryRun(SendOrPostCallback work, object? state)
    {
        lock (_queue)
        {
            if (_running) return false;
            _running = true;
        }
        Execute(work, state);
        Drain();
        return true;
    }

    /// <summary>Queues the work; the thread pool runs it if nothing is running.</summary>
    public override void Post(SendOrPostCallback d, object? state)
    {
        lock (_queue)
        {
            _queue.Enqueue((d, state));
            if (_running) return;
            _running = true;
        }
        ThreadPool.UnsafeQueueUserWorkItem(static self => self.Drain(), this, preferLocal: false);
    }

    /// <summary>Not supported: nothing in a connection waits for its own context synchronously.</summary>
    public override void Send(SendOrPostCallback d, object? state) => throw new NotSupportedException();

    public override SynchronizationContext CreateCopy() => this;

    private void Drain()
    {
        while (true)
        {
            (SendOrPostCallback Work, object? State) next;
            lock (_queue)
            {
                if (!_queue.TryDequeue(out next))
                {
                    _running = false;
                    return;
                }
            }
            Execute(next.Work, next.State);
        }
    }

    private void Execute(SendOrPostCallback work, object? state)
    {
        var previous = Current;
        SetSynchronizationContext(this);
        try
        {
            work(state);
        }
        catch
        {
            // A bug in the work (every caller answers its own failures): what is queued behind it still runs.
            ThreadPool.UnsafeQueueUserWorkItem(static self => self.Drain(), this, preferLocal: false);
            throw;
        }
        finally
        {
            SetSynchronizationContext(previous);
        }
    }
}
