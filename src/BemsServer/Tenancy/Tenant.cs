using BemsServer.Control;
using BemsServer.Diagnostics;
using BemsServer.Features.Background;
using BemsServer.Features.Chats;
using BemsServer.Features.Contacts;
using BemsServer.Features.Directory;
using BemsServer.Features.Rooms;
using BemsServer.Features.FileTransfer;
using BemsServer.Features.Presence;
using BemsServer.Features.Sessions;
using BemsServer.Simulation;

namespace BemsServer.Tenancy;

/// <summary>
/// Everything a test suite can observe lives in one tenant: directory, sessions, chats, simulated users. Nothing crosses
/// tenants.
/// </summary>
public sealed class Tenant : IAsyncDisposable
{
    private readonly IReadOnlyList<RoomPoster> _roomPosters;

    public Tenant(string name, IEnumerable<DirectoryUser> seed, TimeProvider time, TimeSpan invitationTimeout, SimulationQueue simulation,
        RoomSeedPlan rooms, ILogger? pushLogger = null, int chatMessageLog = ChatService.DefaultMessageLog, TimeSpan? parkedTimeout = null,
        BemsMetrics? metrics = null, TimeSpan? deliveryTimeout = null)
    {
        Name = name;
        Metrics = metrics;
        Time = time;
        Directory = new UserDirectory(seed);
        Sessions = new SessionRegistry(time, parkedTimeout);
        Chats = new ChatService(Sessions, time, invitationTimeout, chatMessageLog, metrics, deliveryTimeout);
        Simulation = simulation;
        Contacts = new ContactListService(Directory);
        Presence = new PresenceService(Sessions, Contacts);
        Sessions.SessionsChanged = Presence.OnSessionsChanged;
        FileTransfers = new FileTransferService(Sessions, time, invitationTimeout);
        Pushes = new PushLog(name, Directory, time, pushLogger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        Control = new TenantControl(this);
        foreach (var user in Directory.Users.Where(static u => u.Behavior != Behavior.None).ToList())
        {
            var bot = new SimulatedUser(user, Sessions.NextSessionId(), Chats, Directory, simulation, time.GetUtcNow());
            Sessions.Register(bot.Session);
        }
        Rooms = new RoomService(Sessions, Directory, time, rooms.Settings);
        _roomPosters = RoomPoster.Seed(Rooms, rooms, Directory, time);
    }

    public string Name { get; }

    /// <summary>The server's instruments (none when the tenant is built without a host).</summary>
    public BemsMetrics? Metrics { get; }
    public TimeProvider Time { get; }
    public UserDirectory Directory { get; }
    public SessionRegistry Sessions { get; }
    public ChatService Chats { get; }
    public SimulationQueue Simulation { get; }
    public RoomService Rooms { get; }
    public ContactListService Contacts { get; }
    public PresenceService Presence { get; }
    public FileTransferService FileTransfers { get; }

    /// <summary>Pushes recorded for sessions in background mode (the admin API reads them).</summary>
    public PushLog Pushes { get; }

    /// <summary>The control plane's state for this tenant: frame journal, live connections, fault rules, scripts.</summary>
    public TenantControl Control { get; }

    public ValueTask DisposeAsync()
    {
        foreach (var poster in _roomPosters) poster.Dispose();
        return Simulation.DisposeAsync();
    }
}
