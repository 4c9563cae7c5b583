using System.Text.Json;
using BemsServer.Control;
using BemsServer.Dashboard;
using BemsServer.Protocol;
using BemsServer.Protocol.Admin;

namespace BemsServer.Certification;

/// <summary>The interactive cases (the person at the client acts when prompted) and those that judge the whole run.</summary>
internal static partial class CertificationCases
{
    private static async Task<Judgement> SendToEcho(CaseContext c, CancellationToken ct)
    {
        var after = c.LastSeq;
        c.Prompt($"Send any message to {c.Echo.Uri} from the app.");
        var sent = await c.WaitAsync(c.In(MethodNames.SendMessage, after), c.Settings.Interactive, ct, e => To(e, c.Echo));
        c.Prompt(null);
        if (sent is null) return Judgement.Fail($"No SendMessage to {c.Echo.Uri} within {Seconds(c.Settings.Interactive)}.");
        var complete = await c.WaitAsync(new JournalFilter { Direction = "out", Connection = sent.Connection, Answers = sent.Id, Kind = "complete", After = sent.Seq },
            c.Settings.Delivery, ct);
        if (complete is null) return Judgement.Fail($"SendMessage #{sent.Seq} got no COMPLETE.", sent);
        var echoed = await c.WaitAsync(c.Out(MethodNames.MessageReceived, "event", sent.Seq), c.Settings.Delivery, ct,
            e => CaseContext.DataText(e, "contactId") == c.Echo.Uri);
        if (echoed is null) return Judgement.Fail("The echo's reply did not reach the client.", sent, complete);
        var acked = await AckedAsync(c, echoed, ct);
        return acked with { Frames = [sent.Seq, complete.Seq, .. acked.Frames] };
    }

    private static async Task<Judgement> DeclineAsMessageUpdate(CaseContext c, CancellationToken ct)
    {
        new Injector(c.Tenant.Services).EndChat(c.Decliner, c.User);
        var after = c.LastSeq;
        c.Prompt($"Send any message to {c.Decliner.Uri} from the app: it will be declined.");
        var sent = await c.WaitAsync(c.In(MethodNames.SendMessage, after), c.Settings.Interactive, ct, e => To(e, c.Decliner));
        c.Prompt(null);
        if (sent is null) return Judgement.Fail($"No SendMessage to {c.Decliner.Uri} within {Seconds(c.Settings.Interactive)}.");
        var messageId = CaseContext.ParamText(sent, "messageId");
        var update = await c.WaitAsync(c.Out(MethodNames.MessageUpdate, "messageUpdate", sent.Seq), c.Settings.Delivery, ct,
            e => FrameRow.Path(e.Frame, "error", "data") is { } d && FrameRow.Text(d, "messageId") == messageId);
        if (update is null) return Judgement.Fail($"SendMessage #{sent.Seq} got no MessageUpdate.", sent);
        var text = CaseContext.ParamText(sent, "message") ?? "";
        var resent = await c.WaitAsync(c.In(MethodNames.SendMessage, update.Seq), c.Settings.Reply, ct, e => CaseContext.IsSend(e, c.Decliner, text));
        return resent is null
            ? Judgement.Pass($"SendMessage #{sent.Seq} ended with the MessageUpdate (#{update.Seq}) and was not sent again.", sent, update)
            : Judgement.Fail($"After the MessageUpdate (#{update.Seq}) the message was sent again (#{resent.Seq}).", sent, update, resent);
    }

    private static async Task<Judgement> InvitationAccept(CaseContext c, CancellationToken ct)
    {
        var injector = new Injector(c.Tenant.Services);
        injector.EndChat(c.Peer, c.User);
        var after = c.LastSeq;
        injector.StartChat(c.Peer, c.User);
        var invitation = await c.WaitAsync(c.Out(MethodNames.InvitationReceived, "event", after), c.Settings.Delivery, ct);
        if (invitation is null) return Judgement.Fail("The invitation could not be sent (is the client still signed in?).");
        c.Prompt($"Accept the chat invitation from {c.Peer.DisplayName} ({c.Peer.Uri}) in the app.");
        return await AcceptedAsync(c, invitation, c.Settings.Interactive, ct); // the run takes the prompt down when the case ends
    }

    private static async Task<Judgement> BackgroundPushResume(CaseContext c, CancellationToken ct)
    {
        var after = c.LastSeq;
        c.Prompt("Put the app in the background (it sends NotifyBackground with isBackgroundMode true).");
        var background = await c.WaitAsync(c.In(MethodNames.NotifyBackground, after), c.Settings.Interactive, ct,
            static e => FrameRow.Path(e.Frame, "params", "isBackgroundMode") is { ValueKind: JsonValueKind.True });
        c.Prompt(null);
        if (background is null) return Judgement.Fail($"No NotifyBackground with isBackgroundMode true within {Seconds(c.Settings.Interactive)}.");
        // The drop comes once the client has its answer: the session is in background mode then.
        var answered = await c.AnswerAsync(background, ct, "complete");
        if (answered is null) return Judgement.Fail($"NotifyBackground #{background.Seq} was not completed.", background);
        var old = await c.DropAsync(DropCode, "certification: background-push-resume", ct);
        var text = "certify: this message waits for the resume";
        new Injector(c.Tenant.Services).SendMessage(c.Peer, c.User, text, null);
        c.Prompt("Bring the app back to the foreground: it resumes its session with reconnect.");
        var resumed = await c.WaitAsync(c.Out(MethodNames.MessageReceived, "event", background.Seq), c.Settings.Interactive, ct,
            e => !old.Contains(e.Connection) && CaseContext.DataText(e, "message") == text);
        c.Prompt(null);
        if (resumed is null)
            return Judgement.Fail($"The message that waited for the parked session was not delivered to a resumed connection within {Seconds(c.Settings.Interactive)}.", background);
        var acked = await AckedAsync(c, resumed, ct);
        return acked with { Frames = [background.Seq, .. acked.Frames] };
    }

    private static bool To(JournalEntry e, Features.Directory.DirectoryUser contact) =>
        Features.Directory.ContactAddress.TryNormalize(CaseContext.ParamText(e, "contactId"), out var key) && key == contact.Key;

    private static Task<Judgement> WellFormedRequests(CaseContext c, CancellationToken ct)
    {
        var requests = c.RunFrames().Where(static e => e.Direction == "in").ToList();
        var bad = new List<(JournalEntry Frame, string Why)>();
        foreach (var request in requests)
            if (Malformed(request.Frame, c.KnownMethods) is { } why) bad.Add((request, why));
        return Task.FromResult(bad.Count == 0
            ? Judgement.Pass($"All {requests.Count} requests of the run are well formed.")
            : Judgement.Fail(string.Join("; ", bad.Take(CertificationRun.MaxFramesPerVerdict).Select(static b => $"#{b.Frame.Seq}: {b.Why}")),
                bad.Select(static b => b.Frame)));
    }

    private static string? Malformed(JsonElement frame, ISet<string> known)
    {
        if (frame.ValueKind != JsonValueKind.Object) return "not a JSON object";
        if (FrameRow.Text(frame, "jsonrpc") != "2.0") return "jsonrpc is not \"2.0\"";
        if (!frame.TryGetProperty("id", out var id) || id.ValueKind is not (JsonValueKind.String or JsonValueKind.Number)) return "id is not a string or a number";
        if (FrameRow.Text(frame, "method") is not { } method) return "no method";
        if (!known.Contains(method)) return $"unknown method '{method}'";
        if (!frame.TryGetProperty("params", out var p) || p.ValueKind != JsonValueKind.Object) return "params is not an object";
        return null;
    }

    private static Func<CaseContext, CancellationToken, Task<Judgement>> Advice(string rule) => (c, _) =>
    {
        var findings = c.Findings.Where(a => a.Rule == rule && a.User == c.UserKey).ToList();
        var (title, _) = AdviceRules.All[rule];
        return Task.FromResult(findings.Count == 0
            ? Judgement.Pass($"No finding of '{title}' during the run.")
            : Judgement.Fail(string.Join("; ", findings.Take(CertificationRun.MaxFramesPerVerdict).Select(static a => $"#{a.Seq}: {a.Detail}")),
                findings.Select(static a => a.Seq)));
    };

    private static Task<Judgement> WaitsForSession(CaseContext c, CancellationToken ct)
    {
        var early = new List<JournalEntry>();
        foreach (var connection in c.RunFrames().GroupBy(static e => e.Connection))
        {
            var begun = false;
            foreach (var e in connection)
            {
                if (begun) break;
                if (e.Direction == "out")
                {
                    // The first successful answer to a BeginSession or a resume opens the session.
                    begun = e.Kind == "response" && e.User is not null;
                    continue;
                }
                if (e.Method != MethodNames.BeginSession && FrameRow.Path(e.Frame, "params", "reconnect") is null) early.Add(e);
            }
        }
        return Task.FromResult(early.Count == 0
            ? Judgement.Pass("Every connection began (or resumed) its session before any other request.")
            : Judgement.Fail(string.Join("; ", early.Take(CertificationRun.MaxFramesPerVerdict).Select(static e => $"#{e.Seq}: {e.Method} before the session's PROCESSING")),
                early));
    }

    private static Task<Judgement> AcksOwnMessages(CaseContext c, CancellationToken ct)
    {
        var refused = c.Frames(c.Out(MethodNames.MessageAck, "error", c.Start)).Where(static e => CaseContext.ErrorCode(e) == ErrorCodes.UnknownReference).ToList();
        return Task.FromResult(refused.Count == 0
            ? Judgement.Pass("No MessageAck of the run was refused as unknown.")
            : Judgement.Fail($"MessageAck refused as unknown (-32004): {string.Join(", ", refused.Select(static e => $"#{e.Seq}"))}.", refused));
    }
}
