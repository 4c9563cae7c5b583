using BemsServer.Diagnostics;
using BemsServer.Features.Background;
using BemsServer.Features.Chats;
using BemsServer.Features.Contacts;
using BemsServer.Features.Directory;
using BemsServer.Features.FileTransfer;
using BemsServer.Features.PersonalContacts;
using BemsServer.Features.Presence;
using BemsServer.Features.Rooms;
using BemsServer.Features.Sessions;

namespace BemsServer.Features;

/// <summary>
/// The services of one tenant, as a request's handler reaches them (<c>call.Tenant</c>): directory, sessions, chats,
/// rooms, contacts, presence, file transfers and pushes. The tenant (<see cref="Tenancy.Tenant"/>) adds its simulated
/// users and its control plane on top.
/// </summary>
internal sealed class TenantServices
{
    public TenantServices(string name, IEnumerable<DirectoryUser> seed, TimeProvider time, TimeSpan invitationTimeout, RoomSettings rooms,
        ILogger? pushLogger = null, int chatMessageLog = ChatService.DefaultMessageLog, TimeSpan? parkedTimeout = null,
        BemsMetrics? metrics = null, TimeSpan? deliveryTimeout = null, PresenceOptions? presence = null,
        PersonalContactsOptions? personalContacts = null)
    {
        Name = name;
        Metrics = metrics;
        Time = time;
        Directory = new UserDirectory(seed);
        Sessions = new SessionRegistry(time, parkedTimeout);
        Chats = new ChatService(Sessions, time, invitationTimeout, chatMessageLog, metrics, deliveryTimeout);
        Contacts = new ContactListService(Directory);
        Pushes = new PushLog(name, Directory, time, pushLogger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        PresenceSubscriptions = new PresenceSubscriptions(time, presence ?? new PresenceOptions(), Pushes);
        Presence = new PresenceService(Sessions, Contacts, PresenceSubscriptions);
        Sessions.SessionsChanged = Presence.OnSessionsChanged;
        FileTransfers = new FileTransferService(Sessions, time, invitationTimeout);
        PersonalContacts = new PersonalContactBook((personalContacts ?? new PersonalContactsOptions()).MaxContactsPerUser);
        Rooms = new RoomService(Sessions, Directory, time, rooms);
    }

    public string Name { get; }

    /// <summary>The server's instruments (none when the tenant is built without a host).</summary>
    public BemsMetrics? Metrics { get; }
    public TimeProvider Time { get; }
    public UserDirectory Directory { get; }
    public SessionRegistry Sessions { get; }
    public ChatService Chats { get; }
    public RoomService Rooms { get; }
    public ContactListService Contacts { get; }
    public PresenceService Presence { get; }
    public FileTransferService FileTransfers { get; }

    /// <summary>Every push of the tenant (Connect's background sessions, presence subscriptions, GNP notify), its tokens and live channels.</summary>
    public PushLog Pushes { get; }

    /// <summary>The REST presence service's subscriptions, on the same presence as Connect's.</summary>
    internal PresenceSubscriptions PresenceSubscriptions { get; }

    /// <summary>The Contact Service's personal contacts, per user.</summary>
    internal PersonalContactBook PersonalContacts { get; }
}
