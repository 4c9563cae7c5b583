using BemsServer.Dispatch;
using BemsServer.Features;
using BemsServer.Simulation;

namespace BemsServer.Control;

/// <summary>
/// The control plane's state for one tenant: its frame journal, its live connections (for force-close and fault
/// actions), its fault rules and its scripted users. Reset with the tenant's traffic.
/// </summary>
internal sealed class TenantControl
{
    private readonly Dictionary<ClientConnection, ConnectionHandle> _connections = [];
    private readonly TimeProvider _time;

    public TenantControl(TenantServices tenant, SimulationQueue simulation)
    {
        _time = tenant.Time;
        Faults = new FaultRules(this, tenant.Metrics);
        Scenarios = new Scenarios(tenant, simulation);
    }

    public TenantJournal Journal { get; } = new();
    public FaultRules Faults { get; }
    public Scenarios Scenarios { get; }

    /// <summary>
    /// Hooks a new connection into the control plane (frame journal, outgoing-frame faults, force-close) while the
    /// connection is being built: the handle is its outbox's tap. Dispose the handle when the connection ends.
    /// </summary>
    public ConnectionHandle Attach(ClientConnection client, FrameJournal journal)
    {
        var handle = new ConnectionHandle(client, _time, this, journal.Outbound(client, Journal));
        lock (_connections) _connections[client] = handle;
        return handle;
    }

    public IReadOnlyList<ConnectionHandle> Connections
    {
        get { lock (_connections) return [.. _connections.Values]; }
    }

    public ConnectionHandle? HandleOf(ClientConnection client)
    {
        lock (_connections) return _connections.GetValueOrDefault(client);
    }

    internal void Detach(ConnectionHandle handle)
    {
        lock (_connections) _connections.Remove(handle.Client);
    }
}
