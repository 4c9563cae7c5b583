using System.Globalization;
using BemsServer.Dispatch;
using BemsServer.Protocol;
using BemsServer.Protocol.Data;

namespace BemsServer.Features.Chats;

/// <summary>
/// Sends an IM. Ends in exactly one COMPLETE (delivered, with chatId) or one MessageUpdate (declined, timed out, or
/// nobody signed in to receive it). A contact with no chat yet is invited first.
/// </summary>
internal sealed class SendMessage : IBemsMethod
{
    public string Name => MethodNames.SendMessage;
    public bool? Background => false;

    public Reply Invoke(RpcCall call)
    {
        var peer = call.Peer();
        var text = call.Params.RequiredString("message");
        var messageId = call.Params.RequiredString("messageId");
        var session = call.Session;
        var timestamp = Wire.Timestamp(call.Tenant.Time);
        var reply = call.Processing(new SendMessageData(timestamp.ToString(CultureInfo.InvariantCulture)));
        call.Tenant.Chats.SendMessage(session, peer,
            new QueuedMessage(call.Requester(), session.User, text, messageId, timestamp), call.Effects);
        return reply;
    }
}
