using BemsServer.Dispatch;
using BemsServer.Features.Directory;
using BemsServer.Protocol;
using BemsServer.Protocol.Data;

namespace BemsServer.Features.FileTransfer;

/// <summary>AcceptFileXfer and DeclineFileXfer: the recipient answers an offer (contactId = the sender).</summary>
public static class FileXferAnswer
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

/// <summary>Accepts a file offer: the sender gets FileXferInvitationUpdate Accepted (the bytes would then go over MSNFTP).</summary>
public sealed class AcceptFileXfer : IBemsMethod
{
    public string Name => MethodNames.AcceptFileXfer;
    public bool? Background => null;

    public Reply Invoke(RpcCall call) => FileXferAnswer.Invoke(call, Wire.Accepted);
}

/// <summary>Declines a file offer: the sender gets FileXferInvitationUpdate Declined.</summary>
public sealed class DeclineFileXfer : IBemsMethod
{
    public string Name => MethodNames.DeclineFileXfer;
    public bool? Background => null;

    public Reply Invoke(RpcCall call) => FileXferAnswer.Invoke(call, Wire.Declined);
}
