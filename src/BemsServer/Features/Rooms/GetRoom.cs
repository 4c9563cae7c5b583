using BemsServer.Dispatch;
using BemsServer.Protocol;
using BemsServer.Protocol.Data;

namespace BemsServer.Features.Rooms;

/// <summary>One room's details as the caller sees them (isMemberOf/isManagerOf are the caller's).</summary>
internal sealed class GetRoom : IBemsMethod
{
    public string Name => MethodNames.PcGetRoom;
    public bool? Background => null;

    public Reply Invoke(RpcCall call)
    {
        var info = call.Tenant.Rooms.Get(call.Method, call.Me(), call.RoomId());
        call.CompleteRoom(RoomDetailsData.From(info));
        return call.RoomProcessing(Name);
    }
}
