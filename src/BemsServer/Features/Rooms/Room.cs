using BemsServer.Features.Directory;
using BemsServer.Protocol.Admin;

namespace BemsServer.Features.Rooms;

/// <summary>A room category: who may create rooms in it and whether new members are sent invitations.</summary>
internal sealed record RoomCategory(string Id, IReadOnlySet<string>? Creators, bool SendsInvitations)
{
    public bool MayCreate(string userKey) => Creators is null || Creators.Contains(userKey);
}

/// <summary>A posted message, as history keeps it.</summary>
internal sealed record RoomMessage(long Id, DirectoryUser Author, string Text, bool IsAlert, long Timestamp);

/// <summary>
/// A group discussion. Members include managers; participants are the users who joined (or follow) it and get its
/// messages. Changed only under <see cref="RoomService"/>'s lock.
/// </summary>
internal sealed class Room(string id, string name, string description, RoomCategory category, RoomPrivacy privacy, bool skipInvitations)
{
    public string Id { get; } = id;
    public string Name { get; set; } = name;
    public string Description { get; set; } = description;
    public RoomCategory Category { get; set; } = category;
    public RoomPrivacy Privacy { get; set; } = privacy;
    public bool SkipInvitations { get; set; } = skipInvitations;
    public bool IsDisabled { get; set; }

    public HashSet<string> Managers { get; } = new(StringComparer.Ordinal);
    public HashSet<string> Members { get; } = new(StringComparer.Ordinal);
    public HashSet<string> Participants { get; } = new(StringComparer.Ordinal);
    public List<RoomMessage> History { get; } = [];

    /// <summary>Whether the user may see, join and read the room: anyone for Open, members otherwise.</summary>
    public bool Admits(string userKey) => Privacy == RoomPrivacy.Open || Members.Contains(userKey);

    /// <summary>Whether the user may know the room exists at all.</summary>
    public bool IsVisibleTo(string userKey) => Privacy != RoomPrivacy.Secret || Members.Contains(userKey);

    /// <summary>Who hears about settings changes: members and participants.</summary>
    public IEnumerable<string> Audience => Members.Union(Participants);
}

/// <summary>A user's own room state, shared by all their devices: followed rooms and pending invitations.</summary>
internal sealed class UserRooms
{
    public HashSet<Room> Followed { get; } = [];
    public Dictionary<Room, long> Invitations { get; } = [];
    public long LastInvitationId { get; set; }
}
