using BemsServer.Dispatch;
using BemsServer.Protocol;
using BemsServer.Protocol.Data;

namespace BemsServer.Features.Rooms;

/// <summary>The caller's rooms meeting every filter given as true; at least one must be true (as documented).</summary>
internal sealed class GetMyRooms : IBemsMethod
{
    public string Name => MethodNames.PcGetMyRooms;
    public bool? Background => null;

    public Reply Invoke(RpcCall call)
    {
        var filter = new MyRoomsFilter(
            call.Params.OptionalBoolean("isMemberOf") ?? false,
            call.Params.OptionalBoolean("isManagerOf") ?? false,
            call.Params.OptionalBoolean("isFollowing") ?? false,
            call.Params.OptionalBoolean("hasJoined") ?? false,
            call.Params.OptionalBoolean("isInvitedTo") ?? false);
        if (filter == new MyRoomsFilter(false, false, false, false, false))
            throw call.Params.Invalid("isMemberOf", "Set at least one of isMemberOf, isManagerOf, isFollowing, hasJoined, isInvitedTo to true.");
        var (rooms, lastInvitationId) = call.Tenant.Rooms.MyRooms(call.Me(), filter);
        call.CompleteRoom(new MyRoomsData(rooms, lastInvitationId));
        return call.RoomProcessing(Name);
    }
}
