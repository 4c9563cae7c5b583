using System.Text.RegularExpressions;
using BemsServer.Dispatch;
using BemsServer.Features;
using BemsServer.Features.Chats;
using BemsServer.Features.Directory;
using BemsServer.Features.Presence;
using BemsServer.Features.Sessions;
using BemsServer.Protocol;
using BemsServer.Protocol.Admin;
using BemsServer.Protocol.Data;

namespace BemsServer.Simulation;

/// <summary>
/// A directory user driven by a <see cref="Scenario"/>: signed in while the script is set, it reads the events a client
/// would get and plays the matching trigger's steps through the same chat service real clients use. Each run of steps
/// happens on the tenant's simulation queue; a wait schedules the rest on the server's clock before the earlier steps'
/// frames are released, so that a test that saw those frames can advance the clock safely.
/// </summary>
internal sealed class ScriptedUser : IFrameTarget
{
    private readonly TenantServices _tenant;
    private readonly SimulationQueue _simulation;
    private readonly Requester _requester;
    private readonly (ScenarioTrigger Trigger, Regex? Pattern)[] _triggers;
    private long _stepsRun;

    public ScriptedUser(TenantServices tenant, SimulationQueue simulation, DirectoryUser user, Scenario scenario)
    {
        _tenant = tenant;
        _simulation = simulation;
        Scenario = scenario;
        _triggers = [.. scenario.On.Select(static t => (t, t.Pattern is null ? null : new Regex(t.Pattern, RegexOptions.None, TimeSpan.FromSeconds(1))))];
        Session = new Session(tenant.Sessions.NextSessionId(), user, "scripted", Authenticator.Api23, this, tenant.Time.GetUtcNow(), SessionKind.Scripted);
        _requester = new Requester(this, new RequestId("script"));
    }

    public Session Session { get; }
    public Scenario Scenario { get; }
    public long StepsRun => Interlocked.Read(ref _stepsRun);

    public void Deliver(OutboundFrame frame)
    {
        frame.Receipt?.Written();
        if (frame is not EventFrame { Data: var data }) return;
        var (name, text, peer, requestId) = data switch
        {
            InvitationReceivedData i => (ScenarioNames.Invitation, null, i.ContactId, i.RequestId),
            MessageReceivedData m => (ScenarioNames.Message, m.Message, m.ContactId, null),
            PresenceUpdateData p => (ScenarioNames.PresenceChange, null, p.ContactId, null),
            _ => ((string?)null, (string?)null, (string?)null, (string?)null),
        };
        if (name is null) return;
        foreach (var (trigger, pattern) in _triggers)
        {
            if (!string.Equals(trigger.Event, name, StringComparison.OrdinalIgnoreCase)) continue;
            if (pattern is not null && (text is null || !pattern.IsMatch(text))) continue;
            var context = new StepContext(_tenant.Directory.FindByAddress(peer), requestId);
            _simulation.Post(fx => Run(trigger.Steps, 0, context, fx));
            return;
        }
    }

    private void Run(IReadOnlyList<ScenarioStep> steps, int from, StepContext context, Effects fx)
    {
        for (var i = from; i < steps.Count; i++)
        {
            var step = steps[i];
            Interlocked.Increment(ref _stepsRun);
            if (string.Equals(step.Do, ScenarioNames.Wait, StringComparison.OrdinalIgnoreCase))
            {
                var next = i + 1;
                ITimer? timer = null;
                timer = _tenant.Time.CreateTimer(_ =>
                {
                    timer?.Dispose();
                    _simulation.Post(later => Run(steps, next, context, later));
                }, null, step.Delay ?? TimeSpan.Zero, Timeout.InfiniteTimeSpan);
                return;
            }
            Act(step, context, fx);
        }
    }

    private void Act(ScenarioStep step, StepContext context, Effects fx)
    {
        var chats = _tenant.Chats;
        switch (step.Do.ToUpperInvariant())
        {
            case "REPLY" when context.Peer is { } peer:
                var id = "script-" + Interlocked.Read(ref _stepsRun).ToString(System.Globalization.CultureInfo.InvariantCulture);
                chats.SendMessage(Session, peer, new QueuedMessage(_requester, Session.User, step.Text ?? "", id, Wire.Timestamp(_tenant.Time)), fx);
                break;
            case "TYPING" when context.Peer is { } peer:
                chats.Typing(Session, peer, MethodNames.TypingStarted, fx);
                break;
            case "STOPTYPING" when context.Peer is { } peer:
                chats.Typing(Session, peer, MethodNames.TypingStopped, fx);
                break;
            case "ACCEPT" when context.RequestId is { } requestId:
                chats.Accept(Session, requestId, _requester, fx);
                break;
            case "DECLINE" when context.RequestId is { } requestId:
                chats.Decline(Session, requestId, _requester, fx);
                break;
            case "PRESENCE":
                // Checked when the script was set: an unknown presence never gets here.
                var presence = PresenceStates.TryNormalize(step.Presence, out var known) ? known : null;
                _tenant.Presence.Set(Session.User, presence, step.PersonalMessage, fx);
                break;
            case "OFFLINE":
                _tenant.Sessions.Unregister(Session);
                break;
        }
    }

    private sealed record StepContext(DirectoryUser? Peer, string? RequestId);
}
