using BemsServer.Protocol;

namespace BemsServer.Dispatch;

/// <summary>
/// The way from a connection's session half to its socket half: the socket itself when both are on one node, the link to
/// the socket's node in cluster mode. Frames arrive in the order the session half queued them; a frame the socket can
/// no longer take has its receipt told dropped there.
/// </summary>
internal interface IFrameLink
{
    void Send(OutboundFrame frame);

    /// <summary>No more frames: those sent still go out, then the socket closes with this code.</summary>
    void Close(int code, string? reason);

    /// <summary>Frames waiting for the socket (0 where the socket's node counts them).</summary>
    int Queued { get; }
}
