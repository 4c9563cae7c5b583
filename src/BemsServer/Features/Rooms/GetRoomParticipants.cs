using BemsServer.Dispatch;
using BemsServer.Protocol;
using BemsServer.Protocol.Data;

namespace BemsServer.Features.Rooms;

/// <summary>The users who joined (or follow) a room. Accepts <c>roomID</c>, the sample's spelling, for <c>roomId</c>.</summary>
internal sealed class GetRoomParticipants : IBemsMethod
{
    public string Name => MethodNames.PcGetRoomParticipants;
    public bool? Background => null;

    public Reply Invoke(RpcCall call)
    {
        var roomId = call.RoomId("roomId", "roomID");
        call.CompleteRoom(new RoomParticipantsData(call.Tenant.Rooms.Participants(call.Method, call.Me(), roomId, "roomId")));
        return call.RoomProcessing(Name);
    }
}
