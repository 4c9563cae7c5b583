using BemsServer.Dispatch;
using BemsServer.Protocol;
using BemsServer.Protocol.Data;

namespace BemsServer.Features.Rooms;

/// <summary>Disables a room (managers only). Members and participants get pc.RoomSettingsChanged <c>isDisabled:true</c>.</summary>
internal sealed class DisableRoom : IBemsMethod
{
    public string Name => MethodNames.PcDisableRoom;
    public bool? Background => null;

    public Reply Invoke(RpcCall call)
    {
        var roomId = call.RoomId();
        call.CompleteRoom(new MethodData(Name));
        call.Tenant.Rooms.Disable(call.Method, call.Me(), roomId, call.Effects);
        return call.RoomProcessing(Name);
    }
}
