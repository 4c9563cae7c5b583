using BemsServer.Dispatch;
using BemsServer.Protocol;
using BemsServer.Protocol.Admin;
using BemsServer.Protocol.Data;

namespace BemsServer.Features.Rooms;

/// <summary>
/// Creates a room. Managers default to the creator and become members; members are invited unless skipInvitations or the
/// category says otherwise. The completion (with a sequence, as the inferred sample) carries the new id and name.
/// </summary>
internal sealed class CreateRoom : IBemsMethod
{
    public string Name => MethodNames.PcCreateRoom;
    public bool? Background => null;

    public Reply Invoke(RpcCall call)
    {
        var spec = new NewRoom(
            call.Text("name", required: true)!.Trim(),
            call.Text("description", required: false) ?? "",
            call.Params.OptionalString("category"),
            call.Privacy("privacy") ?? RoomPrivacy.Open,
            call.Users("managers"),
            call.Users("members"),
            call.Params.OptionalBoolean("skipInvitations") ?? false,
            call.Params.OptionalBoolean("follow") ?? false);
        var rooms = call.Tenant.Rooms;
        var id = rooms.NewRoomId();
        call.CompleteRoom(new CreateRoomData(id, spec.Name));
        rooms.Create(call.Method, id, call.Me(), spec, call.Effects);
        return call.RoomProcessing(Name);
    }
}
