using BemsServer.Dispatch;
using BemsServer.Protocol;
using BemsServer.Protocol.Data;

namespace BemsServer.Features.Chats;

/// <summary>Leaves the chat with a contact; the contact gets ChatEnded. Ending a chat that is not open still completes.</summary>
internal sealed class EndChat : IBemsMethod
{
    public string Name => MethodNames.EndChat;
    public bool? Background => true;

    public Reply Invoke(RpcCall call)
    {
        var peer = call.Peer();
        var reply = call.Processing(new MethodData(Name));
        call.Complete(new MethodData(Name));
        call.Tenant.Chats.End(call.Session, peer, call.Effects);
        return reply;
    }
}
