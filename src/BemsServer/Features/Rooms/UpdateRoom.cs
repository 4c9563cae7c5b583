using BemsServer.Dispatch;
using BemsServer.Protocol;
using BemsServer.Protocol.Data;

namespace BemsServer.Features.Rooms;

/// <summary>Changes a room's settings (managers only); at least one setting must be given. Members and participants get pc.RoomSettingsChanged.</summary>
internal sealed class UpdateRoom : IBemsMethod
{
    public string Name => MethodNames.PcUpdateRoom;
    public bool? Background => null;

    public Reply Invoke(RpcCall call)
    {
        var roomId = call.RoomId();
        var changes = new RoomChanges(
            call.Text("newName", required: false)?.Trim(),
            call.Text("newDescription", required: false),
            call.Privacy("newPrivacy"),
            call.Params.OptionalString("newCategory"),
            call.Params.OptionalBoolean("newSkipInvitations"));
        if (changes == new RoomChanges(null, null, null, null, null))
            throw call.Params.Invalid("newName", "Give at least one of newName, newDescription, newPrivacy, newCategory, newSkipInvitations.");
        if (changes.Name is { Length: 0 }) throw call.Params.Invalid("newName", "'newName' must not be blank.");
        call.CompleteRoom(new MethodData(Name));
        call.Tenant.Rooms.Update(call.Method, call.Me(), roomId, changes, call.Effects);
        return call.RoomProcessing(Name);
    }
}
