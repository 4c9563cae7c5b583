using System.Threading.Channels;

namespace BemsServer.Control;

/// <summary>
/// The journal's live tail for the web console: <see cref="FrameJournal"/> offers each entry once it is recorded, and the
/// feed keeps it only while someone listens. With no listener an offer is one volatile read, so a server nobody
/// watches pays nothing more. A listener that falls behind loses entries (counted) rather than slowing the journal.
/// </summary>
internal sealed class JournalFeed
{
    public const int Capacity = 8192;

    private readonly Channel<JournalEntry> _entries = Channel.CreateBounded<JournalEntry>(
        new BoundedChannelOptions(Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });
    private int _listeners;
    private long _dropped;

    public bool Active => Volatile.Read(ref _listeners) > 0;

    /// <summary>Entries the reader could not keep up with.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public ChannelReader<JournalEntry> Reader => _entries.Reader;

    public void Offer(JournalEntry? entry)
    {
        if (entry is null || !Active) return;
        if (!_entries.Writer.TryWrite(entry)) Interlocked.Increment(ref _dropped);
    }

    /// <summary>Starts listening; dispose the result to stop.</summary>
    public IDisposable Listen()
    {
        Interlocked.Increment(ref _listeners);
        return new Listener(this);
    }

    private sealed class Listener(JournalFeed feed) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) Interlocked.Decrement(ref feed._listeners);
        }
    }
}
