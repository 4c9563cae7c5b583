using BemsServer.Dispatch;
using BemsServer.Protocol;
using BemsServer.Protocol.Data;

namespace BemsServer.Features.Rooms;

/// <summary>What the persistent-chat administrator (the admin API) sees and does: every room, whatever its privacy.</summary>
internal sealed partial class RoomService
{
    /// <summary>Reads the rooms under the service's lock; <paramref name="read"/> copies what it keeps.</summary>
    public T Inspect<T>(Func<IEnumerable<Room>, T> read)
    {
        lock (_gate) return read(_rooms.Values);
    }

    /// <summary>Disables a room without a manager's rights, with pc.DisableRoom's effects. False for an unknown room.</summary>
    public bool DisableAsAdministrator(string roomId, Effects fx)
    {
        lock (_gate)
        {
            if (!_rooms.TryGetValue(roomId, out var room)) return false;
            DisableLocked(room, fx);
            return true;
        }
    }

    private void DisableLocked(Room room, Effects fx)
    {
        if (room.IsDisabled) return;
        room.IsDisabled = true;
        var data = new RoomSettingsChangedData(room.Id, IsDisabled: true);
        foreach (var user in room.Audience) fx.Send(sessions.TargetsOf(user), new EventFrame(data));
        room.Participants.Clear();
    }
}
