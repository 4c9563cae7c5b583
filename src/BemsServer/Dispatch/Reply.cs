using BemsServer.Protocol;

namespace BemsServer.Dispatch;

/// <summary>
/// What a method returns: its request's effects, headed by the immediate response (see <see cref="Effects"/>). The
/// dispatcher releases what a service has not already released.
/// </summary>
internal sealed class Reply(Effects effects)
{
    public Effects Effects { get; } = effects;

    public OutboundFrame Response => Effects.Response!;
}
