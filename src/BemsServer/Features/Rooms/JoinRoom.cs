using BemsServer.Dispatch;
using BemsServer.Protocol;
using BemsServer.Protocol.Data;

namespace BemsServer.Features.Rooms;

/// <summary>Joins a room (a member, or anyone for an Open room); the other participants get pc.ParticipantChanged.</summary>
internal sealed class JoinRoom : IBemsMethod
{
    public string Name => MethodNames.PcJoinRoom;
    public bool? Background => null;

    public Reply Invoke(RpcCall call)
    {
        var roomId = call.RoomId();
        call.CompleteRoom(new MethodData(Name));
        call.Tenant.Rooms.Join(call.Method, call.Me(), roomId, call.Effects);
        return call.RoomProcessing(Name);
    }
}
