using BemsServer.Dispatch;
using BemsServer.Protocol;
using BemsServer.Protocol.Data;

namespace BemsServer.Features.Chats;

/// <summary>Declines an invitation: every message queued behind it ends in MessageUpdate declined/terminated.</summary>
internal sealed class DeclineChat : IBemsMethod
{
    public string Name => MethodNames.DeclineChat;
    public bool? Background => true;

    public Reply Invoke(RpcCall call)
    {
        var requestId = call.Params.RequiredString("requestId");
        var reply = call.Processing(new MethodData(Name));
        if (!call.Tenant.Chats.Decline(call.Session, requestId, call.Requester(), call.Effects))
            throw call.UnknownInvitation(requestId); // refused before anything changed or was released
        return reply;
    }
}
