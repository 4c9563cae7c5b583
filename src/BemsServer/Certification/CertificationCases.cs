using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using BemsServer.Control;
using BemsServer.Dashboard;
using BemsServer.Protocol;
using BemsServer.Protocol.Admin;
using BemsServer.Protocol.Data;

namespace BemsServer.Certification;

/// <summary>One case: its stable name, the rule it judges, its window, how it is judged, and what it does.</summary>
internal sealed record CertificationCase(
    string Name, bool Interactive, string Rule, string Window, string Judged, Func<CaseContext, CancellationToken, Task<Judgement>> Run)
{
    public CertificationCaseInfo Info => new(Name, Interactive, Rule, Window, Judged);
}

/// <summary>
/// The catalogue, in the order a run plays it: the cases that make the server act first (ending with the drop, after
/// which a client that does not come back can do nothing more), then the cases that judge everything the client sent
/// during the run. Names are stable: test suites pin them. docs/certification.md describes each.
/// </summary>
internal static partial class CertificationCases
{
    public static readonly IReadOnlyList<CertificationCase> All =
    [
        new("accepts-invitation", false,
            "§3 step 7 (the peer answers an invitation with AcceptChat using its requestId); docs/certification.md, the client's part",
            "5 s", "The peer starts a chat; the client's AcceptChat naming the invitation's requestId, answered without error.", AcceptsInvitation),
        new("message-ack", false,
            "§3 step 7 and §4.15 MessageAck: a received message is acknowledged with MessageAck status \"delivered\"",
            "5 s", "The peer sends a message; a MessageAck of its messageId with status delivered, answered without error.", MessageAck),
        new("acks-every-message", false,
            "§4.15 MessageAck, for each of several messages received at once",
            "5 s after the last", "The peer sends 5 messages in a row; each messageId acknowledged.", AcksEveryMessage),
        new("duplicate-event", false,
            "§2.4 server events; docs/protocol.md MessageAck (acknowledging twice is fine)",
            "5 s", "The same MessageReceived (same messageId) is sent twice; the client acknowledges it once or twice and still answers the next probe.",
            DuplicateEvent),
        new("survives-unknown-event", false,
            "§2.4 server events are named by result.data.method; §7: the documentation references events it does not describe",
            "5 s", "An event with an unknown method, then a probe: the client must still obey it.", SurvivesUnknownEvent),
        new("survives-large-frame", false,
            "§2.4 MessageReceived; docs/protocol.md Envelope (one JSON object per WebSocket message, of any size the server sends)",
            "10 s delivery, 5 s probe", "A MessageReceived of about 60 KB, then a probe: the client must still obey it.", SurvivesLargeFrame),
        new("no-resend-on-late-complete", false,
            "§2.2/§2.3: PROCESSING says the request is being handled and COMPLETE follows later under the same id",
            "COMPLETE held 10 s (server clock)",
            "The client is asked to send a message whose COMPLETE is held 10 s; no second SendMessage with its messageId or text before the COMPLETE and the next probe.",
            NoResendOnLateComplete),
        new("handles-message-update", false,
            "§4.25 MessageUpdate: the failure notification that ends a SendMessage instead of COMPLETE",
            "5 s", "The client is asked to send to a contact who declines; after the MessageUpdate, no resend of that message before the next probe is answered.",
            HandlesMessageUpdate),
        new("survives-request-error", false,
            "§2.6 failures (docs/protocol.md Error codes): an error answer ends one request, not the session",
            "5 s", "The client's SendMessage is answered with a JSON-RPC error (-32050); the client still obeys the next probe.", SurvivesRequestError),
        new("token-refresh", false,
            "§1.3 and §3 step 5: SetGDAuthToken (or SetGDToken, API 2.2) replaces the session's token; docs/certification.md: -32001 asks for it",
            "5 s", "The client's SendMessage is refused with -32001 (token refused); a SetGDAuthToken or SetGDToken follows, answered without error.",
            TokenRefresh),
        new("keeps-alive", false,
            "§1.5 and §3 step 4: Ping reports sessionTimeout; a client keeps its session alive with Ping (or other traffic) within it",
            "the session timeout (server clock)", "A request of the client within the session timeout, with no other case's traffic to lean on.",
            KeepsAlive),
        new("recovers-after-drop", false,
            "§1.5 and §2.7 reconnect; docs/protocol.md Background mode (a resume proves the identity with the credential)",
            "10 s", "The server closes the client's socket (1012); a new socket with a session (BeginSession, or a request with reconnect and the credential) follows, answered without error.",
            RecoversAfterDrop),
        new("send-to-echo", true,
            "§4.25 SendMessage, §3 step 7 (MessageReceived acknowledged)",
            "60 s to act, 5 s to acknowledge", "The person sends a message to the echo contact; its COMPLETE, and the echoed message acknowledged.",
            SendToEcho),
        new("decline-as-message-update", true,
            "§4.25 MessageUpdate (declined/terminated)",
            "60 s to act, 5 s quiet", "The person sends a message to the declining contact; the MessageUpdate ends it and no resend follows for 5 s.",
            DeclineAsMessageUpdate),
        new("invitation-accept", true,
            "§3 step 7, §4.1 AcceptChat", "60 s", "The peer invites the user; the person accepts (AcceptChat with the invitation's requestId).",
            InvitationAccept),
        new("background-push-resume", true,
            "§1.5 background mode and reconnect, §4.17 NotifyBackground; docs/protocol.md Background mode",
            "60 s per step, 5 s to acknowledge",
            "The person puts the app in the background (NotifyBackground true); the server drops the socket, the peer sends a message (a push); the person brings the app back: a resume with reconnect, the waiting message delivered and acknowledged.",
            BackgroundPushResume),
        new("well-formed-requests", false,
            "§2.1 client request: jsonrpc \"2.0\", a string (or number) id, a method the server knows, params an object",
            "the whole run", "Every request of the user's connections during the run.", WellFormedRequests),
        new("unique-request-ids", false,
            "§2.1 and §2.3: answers carry the request's id, so no id is reused while its request is open",
            "the whole run", "No request id reused on a connection before its request ended (COMPLETE, error or MessageUpdate).",
            Advice(AdviceRules.ReusedRequestId)),
        new("waits-for-session", false,
            "§3 Session lifecycle: BeginSession first; every other method works within the session",
            "the whole run", "On each connection, nothing but BeginSession (or a resume with reconnect) before the session's PROCESSING.", WaitsForSession),
        new("sends-message-ids", false,
            "§4.25 SendMessage: messageId is required; MessageUpdate names the message by it",
            "the whole run", "Every SendMessage carries a messageId.", Advice(AdviceRules.MissingMessageId)),
        new("acks-own-messages", false,
            "§4.15 MessageAck (the id from the MessageReceived event); docs/protocol.md: another user's message id is -32004",
            "the whole run", "No MessageAck of the user refused as unknown (-32004).", AcksOwnMessages),
        new("documented-parameters", false,
            "§4 parameter tables and §2.7 (dependencies, reconnect)",
            "the whole run", "No request carries a parameter its method's table does not list.", Advice(AdviceRules.UnknownParameter)),
    ];

    /// <summary>The cases a run plays when none are named: every automatic case.</summary>
    public static IReadOnlyList<CertificationCase> Automatic => [.. All.Where(static c => !c.Interactive)];

    public static CertificationCase? Find(string name) => All.FirstOrDefault(c => c.Name == name);

    private static string Id(JournalEntry e) => e.Id ?? "null";

    private static async Task<Judgement> AcceptsInvitation(CaseContext c, CancellationToken ct)
    {
        var injector = new Injector(c.Tenant.Services);
        injector.EndChat(c.Peer, c.User); // a chat left open by an earlier run would need no invitation
        var after = c.LastSeq;
        injector.StartChat(c.Peer, c.User);
        var invitation = await c.WaitAsync(c.Out(MethodNames.InvitationReceived, "event", after), c.Settings.Delivery, ct);
        if (invitation is null) return Judgement.Fail("The invitation could not be sent (is the client still signed in?).");
        return await AcceptedAsync(c, invitation, c.Settings.Reply, ct);
    }

    private static async Task<Judgement> AcceptedAsync(CaseContext c, JournalEntry invitation, TimeSpan window, CancellationToken ct)
    {
        var requestId = CaseContext.DataText(invitation, "requestId");
        var accept = await c.WaitAsync(c.In(MethodNames.AcceptChat, invitation.Seq), window, ct, e => CaseContext.ParamText(e, "requestId") == requestId);
        if (accept is null)
            return Judgement.Fail($"No AcceptChat of requestId {requestId} within {Seconds(window)} of the InvitationReceived (#{invitation.Seq}).", invitation);
        var answer = await c.AnswerAsync(accept, ct);
        return answer is not null && answer.Kind != "error"
            ? Judgement.Pass($"AcceptChat #{accept.Seq} accepted the invitation #{invitation.Seq}.", invitation, accept, answer)
            : Judgement.Fail($"AcceptChat #{accept.Seq} was refused ({Describe(answer)}).", invitation, accept, answer);
    }

    private static async Task<Judgement> MessageAck(CaseContext c, CancellationToken ct)
    {
        var received = await c.MessageToClientAsync("certify: please acknowledge this message", ct);
        if (received is null) return NotDelivered(c);
        return await AckedAsync(c, received, ct);
    }

    private static async Task<Judgement> AckedAsync(CaseContext c, JournalEntry received, CancellationToken ct)
    {
        var messageId = CaseContext.DataText(received, "messageId");
        var ack = await c.WaitAsync(c.In(MethodNames.MessageAck, received.Seq), c.Settings.Reply, ct, e => CaseContext.ParamText(e, "messageId") == messageId);
        if (ack is null)
            return Judgement.Fail($"No MessageAck of messageId {messageId} within {Seconds(c.Settings.Reply)} of the MessageReceived (#{received.Seq}).", received);
        var answer = await c.AnswerAsync(ack, ct);
        if (answer is null || answer.Kind == "error")
            return Judgement.Fail($"MessageAck #{ack.Seq} was refused ({Describe(answer)}).", received, ack, answer);
        return CaseContext.ParamText(ack, "status") == "delivered"
            ? Judgement.Pass($"MessageAck #{ack.Seq} acknowledged messageId {messageId} (#{received.Seq}).", received, ack)
            : Judgement.Fail($"MessageAck #{ack.Seq} has status '{CaseContext.ParamText(ack, "status")}', not \"delivered\".", received, ack);
    }

    private static async Task<Judgement> AcksEveryMessage(CaseContext c, CancellationToken ct)
    {
        var received = new List<JournalEntry>();
        for (var i = 1; i <= 5; i++)
        {
            var one = await c.MessageToClientAsync($"certify: message {i} of 5", ct);
            if (one is null) return NotDelivered(c);
            received.Add(one);
        }
        var missing = new List<JournalEntry>();
        var acks = new List<JournalEntry>();
        var sinceLast = Stopwatch.GetTimestamp(); // one window, from the last message
        foreach (var message in received)
        {
            var messageId = CaseContext.DataText(message, "messageId");
            var left = c.Settings.Reply - Stopwatch.GetElapsedTime(sinceLast);
            var ack = await c.WaitAsync(c.In(MethodNames.MessageAck, message.Seq), left, ct, e => CaseContext.ParamText(e, "messageId") == messageId);
            if (ack is null) missing.Add(message);
            else acks.Add(ack);
        }
        return missing.Count == 0
            ? Judgement.Pass($"Each of the 5 messages was acknowledged ({string.Join(", ", acks.Select(static a => $"#{a.Seq}"))}).", [.. received, .. acks])
            : Judgement.Fail($"No MessageAck for {string.Join(", ", missing.Select(static m => $"messageId {CaseContext.DataText(m, "messageId")} (#{m.Seq})"))}.",
                [.. missing, .. acks]);
    }

    private static async Task<Judgement> DuplicateEvent(CaseContext c, CancellationToken ct)
    {
        var first = await c.MessageToClientAsync("certify: this message comes twice", ct);
        if (first is null) return NotDelivered(c);
        var messageId = CaseContext.DataText(first, "messageId");
        var data = FrameRow.Path(first.Frame, "result", "data")!.Value.Deserialize(BemsJsonContext.Default.MessageReceivedData)!;
        c.ToClient(new EventFrame(data));
        var second = await c.WaitAsync(c.Out(MethodNames.MessageReceived, "event", first.Seq), c.Settings.Delivery, ct,
            e => CaseContext.DataText(e, "messageId") == messageId);
        if (second is null) return Judgement.Fail("The repeated MessageReceived could not be sent (is the client still signed in?).", first);
        var (command, reply) = await c.ProbeAsync(ct);
        var until = reply?.Seq ?? c.LastSeq;
        var acks = c.Frames(c.In(MethodNames.MessageAck, first.Seq), until).Where(e => CaseContext.ParamText(e, "messageId") == messageId).ToList();
        if (reply is null) return Judgement.Fail(NoProbe(command, c), [first, second, command, .. acks]);
        return acks.Count is 1 or 2
            ? Judgement.Pass($"messageId {messageId} sent twice (#{first.Seq}, #{second.Seq}) was acknowledged {acks.Count} time(s); the probe was answered (#{reply.Seq}).",
                [first, second, .. acks, reply])
            : Judgement.Fail($"messageId {messageId} sent twice (#{first.Seq}, #{second.Seq}) was acknowledged {acks.Count} times (once or twice expected).",
                [first, second, .. acks, reply]);
    }

    private static async Task<Judgement> SurvivesUnknownEvent(CaseContext c, CancellationToken ct)
    {
        var after = c.LastSeq;
        c.ToClient(new EventFrame(new MethodData("certify.UnknownEvent")));
        var unknown = await c.WaitAsync(c.Out("certify.UnknownEvent", "event", after), c.Settings.Delivery, ct);
        if (unknown is null) return Judgement.Fail("The unknown event could not be sent (is the client still signed in?).");
        return await StillAnswersAsync(c, unknown, "the unknown event", ct);
    }

    private static async Task<Judgement> SurvivesLargeFrame(CaseContext c, CancellationToken ct)
    {
        const int Size = 60 * 1024;
        var text = "certify: large " + new string('x', Size - 16);
        var large = await c.MessageToClientAsync(text, ct);
        if (large is null) return NotDelivered(c);
        return await StillAnswersAsync(c, large, $"the {Size / 1024} KB MessageReceived", ct);
    }

    /// <summary>Passes when the client obeys the probe sent after <paramref name="stimulus"/>.</summary>
    private static async Task<Judgement> StillAnswersAsync(CaseContext c, JournalEntry stimulus, string what, CancellationToken ct)
    {
        var (command, reply) = await c.ProbeAsync(ct);
        return reply is not null
            ? Judgement.Pass($"After {what} (#{stimulus.Seq}) the client obeyed the probe (#{reply.Seq}).", stimulus, command, reply)
            : Judgement.Fail($"After {what} (#{stimulus.Seq}): {NoProbe(command, c)}", stimulus, command);
    }

    private static async Task<Judgement> NoResendOnLateComplete(CaseContext c, CancellationToken ct)
    {
        var text = "late-" + c.LastSeq.ToString(CultureInfo.InvariantCulture);
        using var fault = c.Fault(new FaultSpec { Method = MethodNames.SendMessage, Action = FaultAction.DelayComplete, Delay = c.Settings.HeldComplete, Times = 1 });
        var command = await c.CommandAsync(c.Peer, text, ct);
        if (command is null) return NotDelivered(c);
        var sent = await c.SentAsync(c.Peer, text, command.Seq, c.Settings.Reply, ct);
        if (sent is null) return Judgement.Fail($"The client did not send '{text}' as asked (#{command.Seq}) within {Seconds(c.Settings.Reply)}.", command);
        var processing = await c.AnswerAsync(sent, ct);
        if (processing is null || processing.Kind == "error") return Judgement.Fail($"SendMessage #{sent.Seq} was refused ({Describe(processing)}).", command, sent, processing);
        c.Advance(c.Settings.HeldComplete);
        var complete = await c.WaitAsync(new JournalFilter { Direction = "out", Connection = sent.Connection, Answers = sent.Id, Kind = "complete", After = processing.Seq },
            c.Settings.HeldComplete + c.Settings.Delivery, ct);
        if (complete is null) return Judgement.Fail($"The held COMPLETE of SendMessage #{sent.Seq} never went out (did the connection close?).", command, sent, processing);
        var (probe, reply) = await c.ProbeAsync(ct);
        var messageId = CaseContext.ParamText(sent, "messageId");
        var resent = c.Frames(c.In(MethodNames.SendMessage, sent.Seq), reply?.Seq ?? c.LastSeq)
            .Where(e => CaseContext.IsSend(e, c.Peer, text) || (messageId is not null && CaseContext.ParamText(e, "messageId") == messageId)).ToList();
        if (resent.Count > 0)
            return Judgement.Fail($"SendMessage #{sent.Seq} was sent again ({string.Join(", ", resent.Select(static r => $"#{r.Seq}"))}) while its COMPLETE (#{complete.Seq}) was held.",
                [sent, processing, .. resent, complete]);
        return reply is not null
            ? Judgement.Pass($"SendMessage #{sent.Seq} waited for its held COMPLETE (#{complete.Seq}) without a resend.", sent, processing, complete, reply)
            : Judgement.Fail($"No resend, but after the held COMPLETE (#{complete.Seq}): {NoProbe(probe, c)}", sent, processing, complete, probe);
    }

    private static async Task<Judgement> HandlesMessageUpdate(CaseContext c, CancellationToken ct)
    {
        var text = "declined-" + c.LastSeq.ToString(CultureInfo.InvariantCulture);
        new Injector(c.Tenant.Services).EndChat(c.Decliner, c.User); // a fresh invitation, which the decliner declines
        var command = await c.CommandAsync(c.Decliner, text, ct);
        if (command is null) return NotDelivered(c);
        var sent = await c.SentAsync(c.Decliner, text, command.Seq, c.Settings.Reply, ct);
        if (sent is null) return Judgement.Fail($"The client did not send '{text}' to {c.Decliner.Uri} as asked (#{command.Seq}) within {Seconds(c.Settings.Reply)}.", command);
        return await EndsWithoutResendAsync(c, sent, text, ct);
    }

    /// <summary>A SendMessage to the decliner ends in MessageUpdate and is not sent again before the next probe is answered.</summary>
    private static async Task<Judgement> EndsWithoutResendAsync(CaseContext c, JournalEntry sent, string text, CancellationToken ct)
    {
        var messageId = CaseContext.ParamText(sent, "messageId");
        var update = await c.WaitAsync(c.Out(MethodNames.MessageUpdate, "messageUpdate", sent.Seq), c.Settings.Delivery, ct,
            e => FrameRow.Path(e.Frame, "error", "data") is { } d && FrameRow.Text(d, "messageId") == messageId);
        if (update is null) return Judgement.Fail($"SendMessage #{sent.Seq} got no MessageUpdate (was it answered with an error?).", sent);
        var (probe, reply) = await c.ProbeAsync(ct);
        var resent = c.Frames(c.In(MethodNames.SendMessage, sent.Seq), reply?.Seq ?? c.LastSeq).Where(e => CaseContext.IsSend(e, c.Decliner, text)).ToList();
        if (resent.Count > 0)
            return Judgement.Fail($"After the MessageUpdate (#{update.Seq}) the message was sent again ({string.Join(", ", resent.Select(static r => $"#{r.Seq}"))}).",
                [sent, update, .. resent]);
        return reply is not null
            ? Judgement.Pass($"SendMessage #{sent.Seq} ended with the MessageUpdate (#{update.Seq}); no resend before the probe (#{reply.Seq}).", sent, update, reply)
            : Judgement.Fail($"No resend after the MessageUpdate (#{update.Seq}), but {NoProbe(probe, c)}", sent, update, probe);
    }

    private static async Task<Judgement> SurvivesRequestError(CaseContext c, CancellationToken ct)
    {
        var refused = await RefusedSendAsync(c, -32050, "Service unavailable (certification: survives-request-error).", ct);
        if (refused.Failed is { } failed) return failed;
        return await StillAnswersAsync(c, refused.Error!, "the error answer", ct);
    }

    private static async Task<Judgement> TokenRefresh(CaseContext c, CancellationToken ct)
    {
        var refused = await RefusedSendAsync(c, ErrorCodes.AuthenticationFailed,
            "The token has expired: refresh it with SetGDAuthToken (certification: token-refresh).", ct);
        if (refused.Failed is { } failed) return failed;
        var error = refused.Error!;
        var refresh = await c.WaitAsync(c.In(null, error.Seq), c.Settings.Reply, ct, static e => e.Method is MethodNames.SetGDAuthToken or MethodNames.SetGDToken);
        if (refresh is null)
            return Judgement.Fail($"No SetGDAuthToken or SetGDToken within {Seconds(c.Settings.Reply)} of the -32001 (#{error.Seq}).", refused.Sent, error);
        var answer = await c.AnswerAsync(refresh, ct);
        return answer is not null && answer.Kind != "error"
            ? Judgement.Pass($"{refresh.Method} #{refresh.Seq} refreshed the token after the -32001 (#{error.Seq}).", refused.Sent, error, refresh, answer)
            : Judgement.Fail($"{refresh.Method} #{refresh.Seq} was refused ({Describe(answer)}).", refused.Sent, error, refresh, answer);
    }

    /// <summary>Asks the client to send a message and answers that SendMessage with the error given.</summary>
    private static async Task<(JournalEntry? Sent, JournalEntry? Error, Judgement? Failed)> RefusedSendAsync(
        CaseContext c, int code, string message, CancellationToken ct)
    {
        var text = "refused-" + c.LastSeq.ToString(CultureInfo.InvariantCulture);
        using var fault = c.Fault(new FaultSpec { Method = MethodNames.SendMessage, Action = FaultAction.Error, ErrorCode = code, ErrorMessage = message, Times = 1 });
        var command = await c.CommandAsync(c.Peer, text, ct);
        if (command is null) return (null, null, NotDelivered(c));
        var sent = await c.SentAsync(c.Peer, text, command.Seq, c.Settings.Reply, ct);
        if (sent is null) return (null, null, Judgement.Fail($"The client did not send '{text}' as asked (#{command.Seq}) within {Seconds(c.Settings.Reply)}.", command));
        var error = await c.AnswerAsync(sent, ct, "error");
        return error is null
            ? (sent, null, Judgement.Fail($"SendMessage #{sent.Seq} was not refused as the case arranged.", sent))
            : (sent, error, null);
    }

    private static async Task<Judgement> KeepsAlive(CaseContext c, CancellationToken ct)
    {
        var after = c.LastSeq;
        var timeout = c.Settings.SessionTimeout;
        var started = c.Tenant.Time.GetUtcNow();
        JournalEntry? request;
        if (c.IsVirtual)
        {
            // Half the timeout, then the rest: a client keeping alive on the server's clock (or on none) shows up in either step.
            c.Advance(timeout / 2);
            request = await c.WaitAsync(c.In(null, after), c.Settings.ClockStep, ct);
            if (request is null)
            {
                c.Advance(timeout - (timeout / 2));
                request = await c.WaitAsync(c.In(null, after), c.Settings.ClockStep, ct);
            }
        }
        else
        {
            request = await c.WaitAsync(c.In(null, after), timeout, ct);
        }
        return request is not null && request.Time - started <= timeout
            ? Judgement.Pass($"{request.Method} #{request.Seq} came {Seconds(request.Time - started)} into the {Seconds(timeout)} session timeout.", request)
            : Judgement.Fail($"No request within the session timeout ({Seconds(timeout)}, server clock).", request);
    }

    private static async Task<Judgement> RecoversAfterDrop(CaseContext c, CancellationToken ct)
    {
        if (c.Connections.Count == 0) return Judgement.Fail("The client had no connection left to drop.");
        var after = c.LastSeq;
        var old = await c.DropAsync(DropCode, "certification: recovers-after-drop", ct);
        var session = await c.WaitAsync(new JournalFilter { Direction = "out", Kind = "response", User = c.UserKey, After = after },
            c.Settings.Reconnect, ct, e => !old.Contains(e.Connection));
        if (session is null)
            return Judgement.Fail($"No new socket with a session within {Seconds(c.Settings.Reconnect)} of the drop (close {DropCode} of {string.Join(", ", old)}, after #{after}).");
        var request = c.Frames(new JournalFilter { Direction = "in", Connection = session.Connection, Id = session.Id, After = after }, session.Seq).FirstOrDefault();
        return Judgement.Pass($"{session.Method} on the new connection {session.Connection} was answered (#{session.Seq}).", request, session);
    }

    /// <summary>The close code of the drop: 1012, service restart (the server will be back).</summary>
    public const int DropCode = 1012;

    private static Judgement NotDelivered(CaseContext c) =>
        Judgement.Fail($"The peer's message could not reach the client within {Seconds(c.Settings.Delivery)}: is it signed in, and did it accept the invitation from {c.Peer.Uri}?");

    private static string NoProbe(JournalEntry? command, CaseContext c) => command is null
        ? "the probe could not be delivered."
        : $"the client did not obey the probe (#{command.Seq}) within {Seconds(c.Settings.Reply)}.";

    private static string Describe(JournalEntry? answer) => answer is null
        ? "no answer"
        : answer.Kind == "error" ? $"error {CaseContext.ErrorCode(answer)} #{answer.Seq}" : $"{answer.Kind} #{answer.Seq}";

    internal static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";
}
