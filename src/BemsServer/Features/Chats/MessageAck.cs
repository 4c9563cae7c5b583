using BemsServer.Dispatch;
using BemsServer.Protocol;
using BemsServer.Protocol.Data;

namespace BemsServer.Features.Chats;

/// <summary>
/// Delivery receipt for a received message. Only status "delivered" exists; repeats (another device) are fine; only the
/// recipient may acknowledge: another user's message id is unknown to the caller (-32004), as other foreign ids are.
/// </summary>
internal sealed class MessageAck : IBemsMethod
{
    public string Name => MethodNames.MessageAck;
    public bool? Background => false;

    public Reply Invoke(RpcCall call)
    {
        var messageId = call.Params.RequiredString("messageId");
        var status = call.Params.RequiredString("status");
        if (!string.Equals(status, "delivered", StringComparison.OrdinalIgnoreCase))
            throw call.Params.Invalid("status", $"status '{status}' is not supported; the only status is \"delivered\".");
        if (!call.Tenant.Chats.WasIssuedTo(messageId, call.Session.User.Key))
            throw new BemsRpcException(ErrorCodes.UnknownReference, $"No message {messageId} was delivered to you by this server.",
                new ErrorData(Name, "messageId"));
        call.Complete(new MethodData(Name));
        return call.Processing(new MethodData(Name));
    }
}
