using BemsServer.Dispatch;
using BemsServer.Features.Directory;
using BemsServer.Protocol;
using BemsServer.Protocol.Data;

namespace BemsServer.Features.Chats;

/// <summary>Parameter checks shared by the chat methods.</summary>
internal static class ChatRpcCallExtensions
{
    /// <summary>The chat peer named by a contact parameter: a directory user other than the caller.</summary>
    public static DirectoryUser Peer(this RpcCall call) => call.Contact();

    public static Requester Requester(this RpcCall call) => new(call.Connection.Outbox, call.Id);

    public static BemsRpcException UnknownInvitation(this RpcCall call, string requestId) =>
        new(ErrorCodes.UnknownReference,
            $"No invitation {requestId} is waiting for you (it may have expired, been declined or withdrawn).",
            new ErrorData(call.Method, "requestId"));
}
