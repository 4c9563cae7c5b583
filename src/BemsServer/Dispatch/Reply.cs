using BemsServer.Protocol;

namespace BemsServer.Dispatch;

/// <summary>What a method returns: the immediate response frame and the effects to release after it.</summary>
public sealed class Reply(OutboundFrame response, Effects? after)
{
    public OutboundFrame Response { get; } = response;
    public Effects? After { get; } = after;
}
