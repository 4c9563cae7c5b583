using BemsServer.Dispatch;
using BemsServer.Protocol;
using BemsServer.Protocol.Data;

namespace BemsServer.Features.Rooms;

/// <summary>Leaves a room the caller is a member of or follows; the other participants get pc.ParticipantChanged.</summary>
internal sealed class LeaveRoom : IBemsMethod
{
    public string Name => MethodNames.PcLeaveRoom;
    public bool? Background => false;

    public Reply Invoke(RpcCall call)
    {
        var roomId = call.RoomId();
        call.CompleteRoom(new MethodData(Name));
        call.Tenant.Rooms.Leave(call.Method, call.Me(), roomId, call.Effects);
        return call.RoomProcessing(Name);
    }
}
