using BemsServer.Dispatch;
using BemsServer.Features.Directory;
using BemsServer.Features.Sessions;
using BemsServer.Protocol;
using BemsServer.Protocol.Admin;
using BemsServer.Protocol.Data;

namespace BemsServer.Features.Rooms;

/// <summary>What a tenant's rooms are configured with: the id host, the default category and the declared categories.</summary>
internal sealed record RoomSettings(string Host, string DefaultCategory, IReadOnlyDictionary<string, RoomCategory> Categories);

/// <summary>What pc.CreateRoom asks for, already checked for types, lengths and addresses.</summary>
internal sealed record NewRoom(
    string Name, string Description, string? Category, RoomPrivacy Privacy,
    IReadOnlyList<string> Managers, IReadOnlyList<string> Members, bool SkipInvitations, bool Follow);

/// <summary>What pc.UpdateRoom asks to change; null = unchanged.</summary>
internal sealed record RoomChanges(string? Name, string? Description, RoomPrivacy? Privacy, string? Category, bool? SkipInvitations);

/// <summary>
/// A tenant's group discussion rooms. One lock guards every room and every user's room state, so that names stay unique
/// and follow lists consistent; handlers change state under it and add the frames that causes to the call's effects.
/// Refusals throw <see cref="BemsRpcException"/> before anything changes.
/// </summary>
internal sealed partial class RoomService(SessionRegistry sessions, UserDirectory directory, TimeProvider time, RoomSettings settings)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Room> _rooms = new(StringComparer.Ordinal);
    private readonly Dictionary<string, UserRooms> _users = new(StringComparer.Ordinal);
    private long _lastMessageId;
    private long _lastInvitationId;

    public const string IdScheme = "ma-chan://";

    public string NewRoomId() => $"{IdScheme}{settings.Host}/{Guid.NewGuid()}";

    public int Count
    {
        get { lock (_gate) return _rooms.Count; }
    }

    /// <summary>pc.CreateRoom: the room exists, its members are invited (unless skipped), the creator follows it if asked.</summary>
    public Room Create(string method, string id, DirectoryUser creator, NewRoom spec, Effects fx)
    {
        lock (_gate)
        {
            var category = ResolveCategory(method, spec.Category ?? settings.DefaultCategory, "category");
            if (!category.MayCreate(creator.Key))
                throw Refuse(ErrorCodes.CategoryRefused, $"{creator.Uri} may not create rooms in category '{category.Id}'.", method, "category");
            EnsureUniqueName(method, creator, spec.Name, except: null, "name");

            var room = new Room(id, spec.Name, spec.Description, category, spec.Privacy, spec.SkipInvitations);
            room.Managers.UnionWith(spec.Managers.Count > 0 ? spec.Managers : [creator.Key]);
            room.Members.UnionWith(room.Managers);
            room.Members.UnionWith(spec.Members);
            _rooms.Add(room.Id, room);

            if (!spec.SkipInvitations && category.SendsInvitations)
                foreach (var member in room.Members.Where(m => m != creator.Key)) Invite(room, member, fx);
            if (spec.Follow) Follow(room, creator, fx);
            return room;
        }
    }

    /// <summary>pc.UpdateRoom (managers only): applies the changes and tells members and participants what changed.</summary>
    public void Update(string method, DirectoryUser by, string roomId, RoomChanges changes, Effects fx)
    {
        lock (_gate)
        {
            var room = Managed(method, by, roomId);
            if (changes.Name is not null) EnsureUniqueName(method, by, changes.Name, except: room, "newName");
            var category = changes.Category is null ? null : ResolveCategory(method, changes.Category, "newCategory");

            var renamed = changes.Name is not null && changes.Name != room.Name;
            var recategorised = category is not null && category != room.Category;
            var redescribed = changes.Description is not null && changes.Description != room.Description;
            if (renamed) room.Name = changes.Name!;
            if (recategorised) room.Category = category!;
            if (redescribed) room.Description = changes.Description!;
            if (changes.SkipInvitations is { } skip) room.SkipInvitations = skip;
            if (changes.Privacy is { } privacy) room.Privacy = privacy;

            if (renamed || recategorised || redescribed)
            {
                var data = new RoomSettingsChangedData(room.Id,
                    renamed ? room.Name : null, recategorised ? room.Category.Id : null, redescribed ? room.Description : null);
                foreach (var user in room.Audience) fx.Send(sessions.TargetsOf(user), new EventFrame(data));
            }

            // A room that is no longer Open keeps no participant who is not a member: its traffic must not reach them.
            foreach (var outsider in room.Participants.Where(p => !room.Admits(p)).ToList()) Unjoin(room, outsider, fx);
        }
    }

    /// <summary>pc.DisableRoom (managers only): members and participants are told; nobody stays joined. Disabling twice changes nothing.</summary>
    public void Disable(string method, DirectoryUser by, string roomId, Effects fx)
    {
        lock (_gate)
        {
            DisableLocked(Managed(method, by, roomId, allowDisabled: true), fx);
        }
    }

    private Room Managed(string method, DirectoryUser by, string roomId, bool allowDisabled = false)
    {
        var room = Visible(method, by, roomId, "roomId");
        if (!room.Managers.Contains(by.Key))
            throw Refuse(ErrorCodes.NotRoomManager, $"Only a manager of {room.Id} may do this.", method, "roomId");
        if (room.IsDisabled && !allowDisabled)
            throw Refuse(ErrorCodes.RoomDisabled, $"{room.Id} is disabled; only the persistent-chat administrator can enable it.", method, "roomId");
        return room;
    }

    /// <summary>The room, if it exists and the user may know it does (a Secret room is unknown to non-members).</summary>
    private Room Visible(string method, DirectoryUser user, string roomId, string param)
    {
        if (_rooms.TryGetValue(roomId, out var room) && room.IsVisibleTo(user.Key)) return room;
        throw Refuse(ErrorCodes.UnknownRoom, $"Room {roomId} does not exist.", method, param);
    }

    /// <summary>The room, visible and admitting the user (Open, or the user is a member).</summary>
    private Room Admitted(string method, DirectoryUser user, string roomId, string param)
    {
        var room = Visible(method, user, roomId, param);
        if (!room.Admits(user.Key))
            throw Refuse(ErrorCodes.RoomAccessDenied, $"{room.Id} is {room.Privacy}: only its members may do this.", method, param);
        return room;
    }

    private RoomCategory ResolveCategory(string method, string id, string param)
    {
        if (settings.Categories.TryGetValue(id, out var category)) return category;
        if (id.Length > 0 && id == settings.DefaultCategory) return new RoomCategory(id, Creators: null, SendsInvitations: true);
        throw Refuse(ErrorCodes.CategoryRefused,
            id.Length == 0 ? "No default category is configured (Bems:Rooms:DefaultCategory): name a category." : $"Category '{id}' does not exist.",
            method, param);
    }

    /// <summary>
    /// Names are unique among the rooms the user can see: a Secret room's name must not tell a non-member that it exists,
    /// so it does not block the name for them (room ids stay unique; docs/protocol.md).
    /// </summary>
    private void EnsureUniqueName(string method, DirectoryUser user, string name, Room? except, string param)
    {
        if (_rooms.Values.Any(r => r != except && r.IsVisibleTo(user.Key) && string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase)))
            throw Refuse(ErrorCodes.DuplicateRoomName, $"A room named '{name}' already exists.", method, param);
    }

    private UserRooms StateOf(string userKey)
    {
        if (!_users.TryGetValue(userKey, out var state)) _users[userKey] = state = new UserRooms();
        return state;
    }

    private void Invite(Room room, string userKey, Effects fx)
    {
        var state = StateOf(userKey);
        var invitationId = ++_lastInvitationId;
        state.Invitations[room] = invitationId;
        state.LastInvitationId = invitationId;
        fx.Send(sessions.TargetsOf(userKey),
            new EventFrame(new RoomInvitationData(room.Id, room.Name, room.Description, room.Members.Count, invitationId)));
    }

    private Principal PrincipalOf(string userKey)
    {
        var user = directory.Find(userKey) ?? directory.GetOrAdd(userKey);
        return new Principal(userKey[..userKey.IndexOf('@')], user.DisplayName, user.Uri);
    }

    private static BemsRpcException Refuse(int code, string message, string method, string param) =>
        new(code, message, new ErrorData(method, param));
}
