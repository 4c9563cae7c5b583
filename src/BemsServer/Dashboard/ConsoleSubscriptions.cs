using BemsServer.Control;

namespace BemsServer.Dashboard;

/// <summary>
/// The filter of each browser that watches frames. While there is at least one, the journal feed is on; with none, it
/// is off and the journal offers it nothing.
/// </summary>
internal sealed class ConsoleSubscriptions(JournalFeed feed)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ConsoleFilter> _byConnection = new(StringComparer.Ordinal);
    private IDisposable? _listening;

    public IReadOnlyList<(string Connection, ConsoleFilter Filter)> All
    {
        get { lock (_gate) return [.. _byConnection.Select(static p => (p.Key, p.Value))]; }
    }

    public void Set(string connection, ConsoleFilter filter)
    {
        lock (_gate)
        {
            _byConnection[connection] = filter;
            _listening ??= feed.Listen();
        }
    }

    public void Remove(string connection)
    {
        lock (_gate)
        {
            if (!_byConnection.Remove(connection) || _byConnection.Count > 0) return;
            _listening?.Dispose();
            _listening = null;
        }
    }
}
