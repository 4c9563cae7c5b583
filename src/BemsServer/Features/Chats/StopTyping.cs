using BemsServer.Dispatch;
using BemsServer.Protocol;
using BemsServer.Protocol.Data;

namespace BemsServer.Features.Chats;

/// <summary>The caller stopped typing; same rules as StartTyping.</summary>
internal sealed class StopTyping : IBemsMethod
{
    public string Name => MethodNames.StopTyping;
    public bool? Background => false;

    public Reply Invoke(RpcCall call)
    {
        var peer = call.Peer();
        _ = call.Params.RequiredString("chatId");
        var reply = call.Processing(new MethodData(Name));
        call.Tenant.Chats.Typing(call.Session, peer, MethodNames.TypingStopped, call.Effects);
        call.Complete(new MethodData(Name));
        return reply;
    }
}
