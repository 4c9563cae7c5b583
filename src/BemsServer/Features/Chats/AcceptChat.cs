using BemsServer.Dispatch;
using BemsServer.Protocol;
using BemsServer.Protocol.Data;

namespace BemsServer.Features.Chats;

/// <summary>Accepts an invitation: queued messages are delivered after this request's COMPLETE.</summary>
internal sealed class AcceptChat : IBemsMethod
{
    public string Name => MethodNames.AcceptChat;
    public bool? Background => true;

    public Reply Invoke(RpcCall call)
    {
        var requestId = call.Params.RequiredString("requestId");
        var reply = call.Processing(new AcceptChatData(requestId));
        if (!call.Tenant.Chats.Accept(call.Session, requestId, call.Requester(), call.Effects))
            throw call.UnknownInvitation(requestId); // refused before anything changed or was released
        return reply;
    }
}
