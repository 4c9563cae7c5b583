using BemsServer.Dispatch;
using BemsServer.Protocol;
using BemsServer.Protocol.Data;

namespace BemsServer.Features.Chats;

/// <summary>
/// The caller is typing to a contact. As the documentation's table says, a wrong contactId is an error and a wrong chatId
/// is not: the event goes to the peer of the open chat, whatever chatId was sent.
/// </summary>
internal sealed class StartTyping : IBemsMethod
{
    public string Name => MethodNames.StartTyping;
    public bool? Background => false;

    public Reply Invoke(RpcCall call)
    {
        var peer = call.Peer();
        _ = call.Params.RequiredString("chatId");
        var data = new StartTypingData(peer.Uri);
        var reply = call.Processing(data);
        call.Tenant.Chats.Typing(call.Session, peer, MethodNames.TypingStarted, call.Effects);
        call.Complete(data);
        return reply;
    }
}
