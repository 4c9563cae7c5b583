using BemsServer.Dispatch;
using BemsServer.Features.Directory;
using BemsServer.Protocol;
using BemsServer.Protocol.Data;

namespace BemsServer.Features.Rooms;

internal sealed partial class RoomService
{
    /// <summary>pc.FollowRooms: checks every id first, so that a refused call changes nothing; following joins, unfollowing leaves.</summary>
    public void FollowRooms(string method, DirectoryUser user, IReadOnlyList<string> follow, IReadOnlyList<string> unfollow, bool replace, Effects fx)
    {
        lock (_gate)
        {
            var toFollow = follow.Select(id => Joinable(method, user, id, "roomsToFollow")).ToList();
            var toUnfollow = unfollow.Select(id => Visible(method, user, id, "roomsToUnfollow")).ToList();
            var state = StateOf(user.Key);
            if (replace) toUnfollow = [.. state.Followed.Except(toFollow)];
            foreach (var room in toUnfollow)
                if (state.Followed.Remove(room)) Unjoin(room, user.Key, fx);
            foreach (var room in toFollow) Follow(room, user, fx);
        }
    }

    /// <summary>pc.JoinRoom: the user becomes a participant (joining twice changes nothing).</summary>
    public void Join(string method, DirectoryUser user, string roomId, Effects fx)
    {
        lock (_gate) Join(Joinable(method, user, roomId, "roomId"), user, fx);
    }

    /// <summary>
    /// pc.LeaveRoom: the user stops participating and following; a member who is not a manager also stops being a member
    /// (told by pc.RoomSettingsChanged <c>isMember:false</c>). Managers stay managers.
    /// </summary>
    public void Leave(string method, DirectoryUser user, string roomId, Effects fx)
    {
        lock (_gate)
        {
            var room = Visible(method, user, roomId, "roomId");
            var state = StateOf(user.Key);
            var isMember = room.Members.Contains(user.Key);
            if (!isMember && !room.Participants.Contains(user.Key) && !state.Followed.Contains(room))
                throw Refuse(ErrorCodes.RoomAccessDenied, $"You are neither a member nor a follower of {room.Id}.", method, "roomId");
            Unjoin(room, user.Key, fx);
            state.Invitations.Remove(room);
            if (isMember && !room.Managers.Contains(user.Key))
            {
                room.Members.Remove(user.Key);
                fx.Send(sessions.TargetsOf(user.Key), new EventFrame(new RoomSettingsChangedData(room.Id, IsMember: false)));
            }
        }
    }

    /// <summary>pc.SendMessage: the author must have joined; every participant's sessions get pc.MessageReceived.</summary>
    public void Post(string method, DirectoryUser author, string roomId, string text, string clientMessageId, bool isAlert, Effects fx)
    {
        lock (_gate)
        {
            var room = Visible(method, author, roomId, "roomId");
            if (room.IsDisabled) throw Refuse(ErrorCodes.RoomDisabled, $"{room.Id} is disabled.", method, "roomId");
            if (!room.Participants.Contains(author.Key))
                throw Refuse(ErrorCodes.RoomAccessDenied, $"Join {room.Id} (pc.JoinRoom or pc.FollowRooms) before posting to it.", method, "roomId");
            Publish(room, author, text, isAlert, clientMessageId, fx);
        }
    }

    /// <summary>A simulated user's post: silently skipped when the room is disabled or the author no longer participates.</summary>
    public void PostAsSimulated(string roomId, DirectoryUser author, string text, Effects fx)
    {
        lock (_gate)
        {
            if (_rooms.TryGetValue(roomId, out var room) && !room.IsDisabled && room.Participants.Contains(author.Key))
                Publish(room, author, text, isAlert: false, clientMessageId: null, fx);
        }
    }

    private void Publish(Room room, DirectoryUser author, string text, bool isAlert, string? clientMessageId, Effects fx)
    {
        var message = new RoomMessage(++_lastMessageId, author, text, isAlert, Protocol.Wire.Timestamp(time));
        room.History.Add(message);
        var data = new RoomMessageData(room.Id, room.Name, text, author.Uri, author.DisplayName, message.Id, isAlert, message.Timestamp, 0);
        foreach (var participant in room.Participants)
        {
            var frame = participant == author.Key && clientMessageId is not null
                ? new EventFrame(new OwnRoomMessageData(data, clientMessageId)) { ErrorNull = false }
                : new EventFrame(data);
            fx.Send(sessions.TargetsOf(participant), frame);
        }
    }

    private Room Joinable(string method, DirectoryUser user, string roomId, string param)
    {
        var room = Admitted(method, user, roomId, param);
        if (room.IsDisabled) throw Refuse(ErrorCodes.RoomDisabled, $"{room.Id} is disabled.", method, param);
        return room;
    }

    private void Follow(Room room, DirectoryUser user, Effects fx)
    {
        StateOf(user.Key).Followed.Add(room);
        Join(room, user, fx);
    }

    private void Join(Room room, DirectoryUser user, Effects fx)
    {
        StateOf(user.Key).Invitations.Remove(room);
        if (!room.Participants.Add(user.Key)) return;
        var data = new ParticipantChangedData(room.Id, user.DisplayName, user.Uri, IsActive: true);
        foreach (var other in room.Participants.Where(p => p != user.Key)) fx.Send(sessions.TargetsOf(other), new EventFrame(data));
    }

    private void Unjoin(Room room, string userKey, Effects fx)
    {
        StateOf(userKey).Followed.Remove(room);
        if (!room.Participants.Remove(userKey)) return;
        var user = directory.Find(userKey) ?? directory.GetOrAdd(userKey);
        var data = new ParticipantChangedData(room.Id, user.DisplayName, user.Uri, IsActive: false);
        foreach (var other in room.Participants) fx.Send(sessions.TargetsOf(other), new EventFrame(data));
    }
}
