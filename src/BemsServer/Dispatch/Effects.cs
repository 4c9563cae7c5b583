using BemsServer.Protocol;

namespace BemsServer.Dispatch;

/// <summary>Something that takes outbound frames: a connection's outbox, or a simulated user.</summary>
public interface IFrameTarget
{
    void Deliver(OutboundFrame frame);
}

/// <summary>
/// The frames and follow-up actions a request causes, held back until its immediate response is on the wire and then
/// released in the order they were added. Work that no request caused (a timer, a simulated user) releases at once.
/// </summary>
public sealed class Effects
{
    private readonly List<Entry> _entries = [];

    public void Send(IFrameTarget target, OutboundFrame frame) => _entries.Add(new Entry(target, frame, null));

    public void Send(IReadOnlyList<IFrameTarget> targets, OutboundFrame frame)
    {
        foreach (var target in targets) _entries.Add(new Entry(target, frame, null));
    }

    public void Then(Action action) => _entries.Add(new Entry(null, null, action));

    public void Release()
    {
        // An action may add further effects; index-based iteration releases them too, in order.
        for (var i = 0; i < _entries.Count; i++)
        {
            var (target, frame, action) = _entries[i];
            if (action is not null) action();
            else target!.Deliver(frame!);
        }
        _entries.Clear();
    }

    private readonly record struct Entry(IFrameTarget? Target, OutboundFrame? Frame, Action? Action);
}
