using BemsServer.Dispatch;
using BemsServer.Features.Directory;
using BemsServer.Protocol;
using BemsServer.Protocol.Data;

namespace BemsServer.Features.FileTransfer;

/// <summary>What AcceptFileXfer and DeclineFileXfer share: the recipient answers an offer (contactId = the sender).</summary>
internal static class FileXferAnswer
{
    public static Reply Invoke(RpcCall call, string status)
    {
        var sender = call.Contact();
        var fileId = call.Params.RequiredString("fileId");
        if (!call.Tenant.FileTransfers.Answer(call.Session.User, sender, fileId, status, call.Effects))
            throw new BemsRpcException(ErrorCodes.UnknownReference,
                $"No file {fileId} from {sender.Uri} is waiting for you (it may have expired or been answered).", new ErrorData(call.Method, "fileId"));
        call.Completed(new MethodData(call.Method));
        return call.Processing(new MethodData(call.Method));
    }
}
