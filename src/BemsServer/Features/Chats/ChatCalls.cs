using BemsServer.Dispatch;
using BemsServer.Features.Directory;
using BemsServer.Protocol;
using BemsServer.Protocol.Data;

namespace BemsServer.Features.Chats;

/// <summary>Parameter checks shared by the chat methods.</summary>
public static class ChatCalls
{
    /// <summary>The chat peer named by a contact parameter: a directory user other than the caller.</summary>
    public static DirectoryUser Peer(this RpcCall call, string param = "contactId")
    {
        var raw = call.Params.RequiredString(param);
        if (!ContactAddress.TryNormalize(raw, out var key))
            throw call.Params.Invalid(param, $"'{raw}' is not a contact id such as sip:alice@example.com.");
        if (key == call.Session.User.Key)
            throw new BemsRpcException(ErrorCodes.UnknownContact, "A chat needs another user than yourself.", new ErrorData(call.Method, param));
        return call.Tenant.Directory.Find(key)
            ?? throw new BemsRpcException(ErrorCodes.UnknownContact, $"{ContactAddress.ToUri(key)} is not in the directory.", new ErrorData(call.Method, param));
    }

    public static Requester Requester(this RpcCall call) => new(call.Connection.Outbox, call.Id);

    public static BemsRpcException UnknownInvitation(this RpcCall call, string requestId) =>
        new(ErrorCodes.UnknownReference,
            $"No invitation {requestId} is waiting for you (it may have expired, been declined or withdrawn).",
            new ErrorData(call.Method, "requestId"));
}
