using BemsServer.Dispatch;
using BemsServer.Protocol;

namespace BemsServer.Features.FileTransfer;

/// <summary>Accepts a file offer: the sender gets FileXferInvitationUpdate Accepted (the bytes would then go over MSNFTP).</summary>
internal sealed class AcceptFileXfer : IBemsMethod
{
    public string Name => MethodNames.AcceptFileXfer;
    public bool? Background => null;

    public Reply Invoke(RpcCall call) => FileXferAnswer.Invoke(call, Wire.Accepted);
}
