using BemsServer.Control;
using BemsServer.Diagnostics;
using BemsServer.Features;
using BemsServer.Features.Background;
using BemsServer.Features.Chats;
using BemsServer.Features.Contacts;
using BemsServer.Features.Directory;
using BemsServer.Features.FileTransfer;
using BemsServer.Features.Presence;
using BemsServer.Features.Rooms;
using BemsServer.Features.Sessions;
using BemsServer.Protocol.Admin;
using BemsServer.Simulation;

namespace BemsServer.Tenancy;

/// <summary>
/// Everything a test suite can observe lives in one tenant: directory, sessions, chats, simulated users. Nothing crosses
/// tenants. The tenant puts together its services (<see cref="TenantServices"/>, what requests' handlers reach), its
/// simulated users and room posters, and its control plane.
/// </summary>
internal sealed class Tenant : IAsyncDisposable
{
    private readonly IReadOnlyList<RoomPoster> _roomPosters;

    public Tenant(string name, IEnumerable<DirectoryUser> seed, TimeProvider time, TimeSpan invitationTimeout, SimulationQueue simulation,
        RoomSeedPlan rooms, ILogger? pushLogger = null, int chatMessageLog = ChatService.DefaultMessageLog, TimeSpan? parkedTimeout = null,
        BemsMetrics? metrics = null, TimeSpan? deliveryTimeout = null, PresenceOptions? presence = null,
        Features.PersonalContacts.PersonalContactsOptions? personalContacts = null)
    {
        Services = new TenantServices(name, seed, time, invitationTimeout, rooms.Settings, pushLogger, chatMessageLog, parkedTimeout, metrics,
            deliveryTimeout, presence, personalContacts);
        Simulation = simulation;
        Control = new TenantControl(Services, simulation);
        foreach (var user in Directory.Users.Where(static u => u.Behavior != Behavior.None).ToList())
        {
            var bot = new SimulatedUser(user, Sessions.NextSessionId(), Chats, Directory, simulation, time.GetUtcNow());
            Sessions.Register(bot.Session);
        }
        _roomPosters = RoomPoster.Seed(Rooms, rooms, Directory, time);
    }

    /// <summary>The tenant's services, as its connections (and their requests' handlers) see them.</summary>
    public TenantServices Services { get; }

    public string Name => Services.Name;

    /// <summary>The server's instruments (none when the tenant is built without a host).</summary>
    public BemsMetrics? Metrics => Services.Metrics;
    public TimeProvider Time => Services.Time;
    public UserDirectory Directory => Services.Directory;
    public SessionRegistry Sessions => Services.Sessions;
    public ChatService Chats => Services.Chats;
    public SimulationQueue Simulation { get; }
    public RoomService Rooms => Services.Rooms;
    public ContactListService Contacts => Services.Contacts;
    public PresenceService Presence => Services.Presence;
    public FileTransferService FileTransfers => Services.FileTransfers;

    /// <summary>Pushes recorded for sessions in background mode (the admin API reads them).</summary>
    public PushLog Pushes => Services.Pushes;

    /// <summary>The control plane's state for this tenant: frame journal, live connections, fault rules, scripts.</summary>
    public TenantControl Control { get; }

    public ValueTask DisposeAsync()
    {
        foreach (var poster in _roomPosters) poster.Dispose();
        Services.PresenceSubscriptions.Clear(); // their expiry timers would keep the forgotten tenant alive
        return Simulation.DisposeAsync();
    }
}
