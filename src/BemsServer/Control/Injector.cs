using BemsServer.Dispatch;
using BemsServer.Features;
using BemsServer.Features.Chats;
using BemsServer.Features.Directory;
using BemsServer.Features.Sessions;
using BemsServer.Protocol;
using BemsServer.Protocol.Admin;
using BemsServer.Protocol.Data;

namespace BemsServer.Control;

/// <summary>
/// Acts as any directory user through the chat service the method handlers use, so the other side receives exactly the
/// frames a real peer's request would cause. The acting user's own answers (COMPLETE, MessageUpdate) are collected and
/// returned instead of being sent to a device.
/// </summary>
internal sealed class Injector(TenantServices tenant)
{

    public IReadOnlyList<string> SendMessage(DirectoryUser from, DirectoryUser to, string text, string? messageId) =>
        Act(from, (session, requester, fx) => tenant.Chats.SendMessage(session, to,
            new QueuedMessage(requester, from, text, messageId ?? requester.Id.ToString(), Wire.Timestamp(tenant.Time)), fx));

    public IReadOnlyList<string> StartChat(DirectoryUser from, DirectoryUser to) =>
        Act(from, (session, requester, fx) => tenant.Chats.StartChat(session, to, requester, Wire.Timestamp(tenant.Time), fx));

    public IReadOnlyList<string>? Accept(DirectoryUser by, string requestId) =>
        Answer(by, requestId, (session, requester, fx) => tenant.Chats.Accept(session, requestId, requester, fx));

    public IReadOnlyList<string>? Decline(DirectoryUser by, string requestId) =>
        Answer(by, requestId, (session, requester, fx) => tenant.Chats.Decline(session, requestId, requester, fx));

    public IReadOnlyList<string> Typing(DirectoryUser by, DirectoryUser to, bool typing) =>
        Act(by, (session, _, fx) => tenant.Chats.Typing(session, to, typing ? MethodNames.TypingStarted : MethodNames.TypingStopped, fx));

    public IReadOnlyList<string> EndChat(DirectoryUser by, DirectoryUser to) =>
        Act(by, (session, _, fx) => tenant.Chats.End(session, to, fx));

    /// <summary>
    /// SetPresence (or SetPersonalMessage, with <paramref name="presence"/> null) as the user: the watchers get what a real
    /// client's call causes. A user who is not signed in looks offline to them; the choice shows when the user signs in.
    /// </summary>
    public IReadOnlyList<string> SetPresence(DirectoryUser user, string? presence, string? personalMessage) =>
        Act(user, (_, requester, fx) =>
        {
            var method = presence is null ? MethodNames.SetPersonalMessage : MethodNames.SetPresence;
            fx.Send(requester.Target, new CompletionFrame(requester.Id, new MethodData(method) { State = Wire.Complete }));
            tenant.Presence.Set(user, presence, personalMessage, fx);
        });

    /// <summary>The pending invitation from <paramref name="inviter"/> to <paramref name="invitee"/>, if any.</summary>
    public string? PendingInvitation(DirectoryUser invitee, DirectoryUser inviter) =>
        tenant.Chats.Between(invitee.Key, inviter.Key) is { State: ChatState.Pending } chat && ReferenceEquals(chat.Invitee, invitee) ? chat.Id : null;

    private IReadOnlyList<string>? Answer(DirectoryUser by, string requestId, Func<Session, Requester, Effects, bool> action)
    {
        var ok = false;
        var outcome = Act(by, (session, requester, fx) => ok = action(session, requester, fx));
        return ok ? outcome : null;
    }

    private List<string> Act(DirectoryUser user, Action<Session, Requester, Effects> action)
    {
        var id = ProcessIds.Next("admin-");
        var sink = new Outcome();
        // An unregistered session: it acts as the user but receives nothing, so no device of the user sees admin traffic.
        var session = new Session(id, user, "admin", Authenticator.Api23, sink, tenant.Time.GetUtcNow(), SessionKind.Injected);
        var fx = new Effects();
        action(session, new Requester(sink, new RequestId(id)), fx);
        fx.Release();
        lock (sink.Frames) return [.. sink.Frames];
    }

    /// <summary>Collects the acting user's own answers as "Method STATE" strings.</summary>
    private sealed class Outcome : IFrameTarget
    {
        public List<string> Frames { get; } = [];

        public void Deliver(OutboundFrame frame)
        {
            lock (Frames)
                Frames.Add(frame switch
                {
                    CompletionFrame c => $"{c.Method} {c.Data.State}",
                    MessageUpdateFrame m => $"{m.Method} {m.Data.Type}/{m.Data.Status}",
                    _ => frame.Method,
                });
        }
    }
}
