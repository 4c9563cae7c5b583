namespace BemsServer.Diagnostics;

/// <summary>Process-wide counts of client connections and signed-in sessions (simulated users not counted).</summary>
internal sealed class ServerStats
{
    private long _connections;
    private long _sessions;

    public long Connections => Interlocked.Read(ref _connections);
    public long Sessions => Interlocked.Read(ref _sessions);

    public void ConnectionOpened() => Interlocked.Increment(ref _connections);
    public void ConnectionClosed() => Interlocked.Decrement(ref _connections);
    public void SessionStarted() => Interlocked.Increment(ref _sessions);
    public void SessionEnded() => Interlocked.Decrement(ref _sessions);
}
