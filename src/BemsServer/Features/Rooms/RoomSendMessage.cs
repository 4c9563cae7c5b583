using BemsServer.Dispatch;
using BemsServer.Protocol;
using BemsServer.Protocol.Data;

namespace BemsServer.Features.Rooms;

/// <summary>
/// Posts to a joined room. COMPLETE (with the client's messageId) first, then pc.MessageReceived to every participant's
/// sessions; the author's copy carries clientMessageId.
/// </summary>
internal sealed class RoomSendMessage : IBemsMethod
{
    public string Name => MethodNames.PcSendMessage;
    public bool? Background => false;

    public Reply Invoke(RpcCall call)
    {
        var roomId = call.RoomId();
        var text = call.Params.RequiredString("message");
        var messageId = call.Params.RequiredString("messageId");
        var isAlert = call.Params.OptionalBoolean("isAlert") ?? false;
        call.CompleteRoom(new RoomSendMessageData(messageId));
        call.Tenant.Rooms.Post(call.Method, call.Me(), roomId, text, messageId, isAlert, call.Effects);
        return call.RoomProcessing(Name);
    }
}
