using BemsServer.Protocol;

namespace BemsServer.Dispatch;

/// <summary>What a method returns: the immediate response frame and the effects to release after it.</summary>
public sealed class Reply(OutboundFrame response, Effects? after)
{
    public OutboundFrame Response { get; } = response;
    public Effects? After { get; } = after;

    /// <summary>The handler already queued the response (it acknowledged before changing state, see <c>RpcCall.Acknowledge</c>).</summary>
    public bool Sent { get; init; }
}
