using BemsServer.Dispatch;
using BemsServer.Protocol;
using BemsServer.Protocol.Data;

namespace BemsServer.Features.Chats;

/// <summary>
/// Invites a contact. COMPLETE (with requestIds = the invitation's id) follows once the invitation is out; the outcome
/// reaches the inviter as an InvitationUpdate event.
/// </summary>
internal sealed class StartChat : IBemsMethod
{
    public string Name => MethodNames.StartChat;
    public bool? Background => false;

    public Reply Invoke(RpcCall call)
    {
        var peer = call.Peer();
        var timestamp = Wire.Timestamp(call.Tenant.Time);
        var reply = call.Processing(new StartChatData(timestamp));
        call.Tenant.Chats.StartChat(call.Session, peer, call.Requester(), timestamp, call.Effects);
        return reply;
    }
}
