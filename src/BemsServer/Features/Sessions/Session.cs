using BemsServer.Dispatch;
using BemsServer.Features.Directory;
using BemsServer.Protocol;

namespace BemsServer.Features.Sessions;

/// <summary>A signed-in device of a user. Frames delivered to it go to its connection (or to a simulated user).</summary>
public sealed class Session(string id, DirectoryUser user, string deviceToken, string apiVersion, IFrameTarget target, DateTimeOffset started)
    : IFrameTarget
{
    public string Id { get; } = id;
    public DirectoryUser User { get; } = user;
    public string DeviceToken { get; } = deviceToken;

    /// <summary>"2.3" (gdAuthToken) or "2.2" (userId + gdToken), decided by the credential BeginSession carried.</summary>
    public string ApiVersion { get; } = apiVersion;

    public DateTimeOffset Started { get; } = started;

    public void Deliver(OutboundFrame frame) => target.Deliver(frame);

    public override string ToString() => $"{Id} ({User.Key})";
}
