using BemsServer.Dispatch;
using BemsServer.Features.Directory;
using BemsServer.Protocol;
using BemsServer.Protocol.Data;

namespace BemsServer.Features.FileTransfer;

/// <summary>
/// Offers a file to a contact (contactId is the recipient, whatever the table's wording). COMPLETED follows once the
/// offer is out; the answer reaches the sender as FileXferInvitationUpdate.
/// </summary>
internal sealed class InviteFileXfer : IBemsMethod
{
    public string Name => MethodNames.InviteFileXfer;
    public bool? Background => null;

    public Reply Invoke(RpcCall call)
    {
        var recipient = call.Contact();
        var fileName = call.Params.RequiredString("fileName");
        var fileSize = call.Params.OptionalInteger("fileSize")
            ?? throw call.Params.Invalid("fileSize", "Missing required parameter 'fileSize' (an integer, bytes).");
        if (fileSize < 0) throw call.Params.Invalid("fileSize", "fileSize must not be negative.");
        var fileId = call.Params.RequiredString("fileId");
        call.Completed(new MethodData(Name));
        if (call.Tenant.FileTransfers.Invite(call.Session.User, recipient, fileName, fileSize, fileId, call.Effects) == FileTransferService.Outcome.Duplicate)
            throw call.Params.Invalid("fileId", $"An invitation for file {fileId} is already pending; use a new fileId.");
        return call.Processing(new MethodData(Name));
    }
}
