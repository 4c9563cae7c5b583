using BemsServer.Protocol;

namespace BemsServer.Dispatch;

/// <summary>Something that takes outbound frames: a connection's outbox, or a simulated user.</summary>
public interface IFrameTarget
{
    void Deliver(OutboundFrame frame);
}

/// <summary>
/// The frames a request causes, held back until its immediate response is queued and then released in the order they
/// were added. Work that no request caused (a timer, a simulated user) releases at once.
/// </summary>
public sealed class Effects
{
    private readonly List<(IFrameTarget Target, OutboundFrame Frame)> _entries = [];

    public void Send(IFrameTarget target, OutboundFrame frame) => _entries.Add((target, frame));

    public void Send(IReadOnlyList<IFrameTarget> targets, OutboundFrame frame)
    {
        foreach (var target in targets) _entries.Add((target, frame));
    }

    /// <summary>Delivers what was added since the last release; releasing twice sends nothing twice.</summary>
    public void Release()
    {
        foreach (var (target, frame) in _entries) target.Deliver(frame);
        _entries.Clear();
    }
}
