using BemsServer.Dispatch;
using BemsServer.Protocol;

namespace BemsServer.Features.FileTransfer;

/// <summary>Declines a file offer: the sender gets FileXferInvitationUpdate Declined.</summary>
internal sealed class DeclineFileXfer : IBemsMethod
{
    public string Name => MethodNames.DeclineFileXfer;
    public bool? Background => null;

    public Reply Invoke(RpcCall call) => FileXferAnswer.Invoke(call, Wire.Declined);
}
