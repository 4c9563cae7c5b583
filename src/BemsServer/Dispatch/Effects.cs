using BemsServer.Protocol;

namespace BemsServer.Dispatch;

/// <summary>Something that takes outbound frames: a connection's outbox, or a simulated user.</summary>
public interface IFrameTarget
{
    void Deliver(OutboundFrame frame);
}

/// <summary>
/// The frames a request causes, held back until its immediate response is queued and then released in the order they
/// were added. Work that no request caused (a timer, a simulated user) releases at once. A request may hand its
/// immediate response to the effects (<see cref="AcknowledgeFirst"/>): the first release then queues it ahead of
/// everything else, wherever that release happens (under a chat's lock, right after the state changed).
/// </summary>
public sealed class Effects
{
    private readonly List<(IFrameTarget Target, OutboundFrame Frame)> _entries = [];
    private (IFrameTarget Target, OutboundFrame Frame)? _acknowledgement;

    /// <summary>Whether the request's immediate response travels with these effects (released by the first release).</summary>
    public bool CarriesAcknowledgement { get; private set; }

    public void AcknowledgeFirst(IFrameTarget target, OutboundFrame response)
    {
        _acknowledgement = (target, response);
        CarriesAcknowledgement = true;
    }

    public void Send(IFrameTarget target, OutboundFrame frame) => _entries.Add((target, frame));

    public void Send(IReadOnlyList<IFrameTarget> targets, OutboundFrame frame)
    {
        foreach (var target in targets) _entries.Add((target, frame));
    }

    /// <summary>Delivers what was added since the last release; releasing twice sends nothing twice.</summary>
    public void Release()
    {
        if (_acknowledgement is var (ackTarget, ackFrame))
        {
            ackTarget.Deliver(ackFrame);
            _acknowledgement = null;
        }
        foreach (var (target, frame) in _entries) target.Deliver(frame);
        _entries.Clear();
    }
}
