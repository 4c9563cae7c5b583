using BemsServer.Protocol;

namespace BemsServer.Dispatch;

/// <summary>Something that takes outbound frames: a connection's outbox, or a simulated user.</summary>
internal interface IFrameTarget
{
    void Deliver(OutboundFrame frame);
}

/// <summary>
/// The frames a piece of work causes, held back and then released in the order they were added.
/// <para>
/// The one rule for a request's immediate response: it heads its request's effects (<see cref="Respond"/>), so whoever
/// releases them first sends it first. A service that changes state under a lock releases the effects there, right
/// after the change (a queued SendMessage completed on the invitee's thread cannot overtake its PROCESSING, and a
/// client holding a PROCESSING knows the state already changed); the dispatcher releases whatever is left when the
/// handler returns. Work that no request caused (a timer, a simulated user) has no response and releases at once.
/// </para>
/// </summary>
internal sealed class Effects
{
    // The frames in the order added: most work causes one (a SendMessage's MessageReceived), kept in a field; a list
    // is made only for a second.
    private (IFrameTarget Target, OutboundFrame Frame)? _single;
    private List<(IFrameTarget Target, OutboundFrame Frame)>? _more;
    private readonly IFrameTarget? _requester;
    private OutboundFrame? _response;
    private bool _responded;

    /// <summary>Effects of work that no request caused: nothing to answer.</summary>
    public Effects() => _responded = true;

    /// <summary>A request's effects: released only once <see cref="Respond"/> has put the response to the requester at their head.</summary>
    public Effects(IFrameTarget requester) => _requester = requester;

    /// <summary>The request's immediate response, once given.</summary>
    public OutboundFrame? Response { get; private set; }

    public void Respond(OutboundFrame response)
    {
        if (_responded) throw new InvalidOperationException("A request has one immediate response, given before its effects are released.");
        _response = Response = response;
        _responded = true;
    }

    public void Send(IFrameTarget target, OutboundFrame frame)
    {
        if (_single is null && _more is null) _single = (target, frame);
        else (_more ??= []).Add((target, frame));
    }

    public void Send(IReadOnlyList<IFrameTarget> targets, OutboundFrame frame)
    {
        for (var i = 0; i < targets.Count; i++) Send(targets[i], frame); // by index: no enumerator per call
    }

    /// <summary>Delivers the response (first time only) and what was added since the last release.</summary>
    public void Release()
    {
        if (!_responded)
            throw new InvalidOperationException("A request's effects were released before its immediate response: the response must lead.");
        if (_response is { } response)
        {
            _response = null;
            _requester!.Deliver(response);
        }
        if (_single is { } single)
        {
            _single = null;
            single.Target.Deliver(single.Frame);
        }
        if (_more is not { } more) return;
        for (var i = 0; i < more.Count; i++) more[i].Target.Deliver(more[i].Frame);
        more.Clear();
    }
}
