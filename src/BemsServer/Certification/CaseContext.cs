using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using BemsServer.Control;
using BemsServer.Dashboard;
using BemsServer.Dispatch;
using BemsServer.Features.Directory;
using BemsServer.Protocol;
using BemsServer.Protocol.Admin;
using BemsServer.Tenancy;
using Microsoft.Extensions.Time.Testing;

namespace BemsServer.Certification;

/// <summary>A case's finding before the run adds its rule and window: passed or not, why, and the frames that show it.</summary>
internal sealed record Judgement(bool Passed, string Message, IReadOnlyList<long> Frames)
{
    public static Judgement Pass(string message, params IEnumerable<JournalEntry?> frames) => new(true, message, Seqs(frames));

    public static Judgement Fail(string message, params IEnumerable<JournalEntry?> frames) => new(false, message, Seqs(frames));

    /// <summary>A failure shown by frames known by their journal numbers.</summary>
    public static Judgement Fail(string message, IEnumerable<long> seqs) => new(false, message, Kept(seqs));

    private static long[] Seqs(IEnumerable<JournalEntry?> frames) => Kept(frames.OfType<JournalEntry>().Select(static e => e.Seq));

    private static long[] Kept(IEnumerable<long> seqs) => [.. seqs.Distinct().Order().Take(CertificationRun.MaxFramesPerVerdict)];
}

/// <summary>
/// What a case works with: the tenant's journal (every judgement reads frames from it, after the run's start), the
/// certification's simulated peers (directory users with a behaviour, as any simulated user), the injector that makes
/// them act, the fault rules, the clock, and the user's sessions. Waits for a client's frame are bounded in real time
/// (the journal's wait-for); time the server must let pass (a held COMPLETE, the session timeout) passes on the server's
/// clock, which the run advances itself when it is virtual.
/// </summary>
internal sealed class CaseContext(Tenant tenant, string userKey, CertificationSettings settings, Action<string?> prompt)
{
    /// <summary>The command a certified client obeys in a MessageReceived: <c>certify:send &lt;contactId&gt; &lt;text&gt;</c>.</summary>
    public const string SendCommand = "certify:send ";

    private int _probes;

    public Tenant Tenant { get; } = tenant;
    public string UserKey { get; } = userKey;
    public CertificationSettings Settings { get; } = settings;

    /// <summary>The method names the server knows (aliases included), for well-formed-requests.</summary>
    public required ISet<string> KnownMethods { get; init; }

    /// <summary>The journal number the run started after: no judgement looks at an earlier frame.</summary>
    public long Start { get; set; }

    /// <summary>
    /// The protocol advice on the run's frames, read once: the cases judged by advice rules run last, one after another,
    /// when the run sends nothing more.
    /// </summary>
    public IReadOnlyList<Dashboard.Advice> Findings => _findings ??= new Dashboard.TenantAdvice(Start).Read(Tenant, Tenant.Time.GetUtcNow());

    private IReadOnlyList<Dashboard.Advice>? _findings;

    public DirectoryUser User { get; private set; } = null!;

    /// <summary>Accepts every invitation, takes every message (behaviour <c>accept</c>): the sender of the cases' messages.</summary>
    public DirectoryUser Peer { get; private set; } = null!;

    /// <summary>Declines every invitation (behaviour <c>decline</c>).</summary>
    public DirectoryUser Decliner { get; private set; } = null!;

    /// <summary>Sends every message back (behaviour <c>echo</c>).</summary>
    public DirectoryUser Echo { get; private set; } = null!;

    private TenantJournal Journal => Tenant.Control.Journal;
    private FakeTimeProvider? Virtual => Tenant.Time as FakeTimeProvider;

    /// <summary>Whether the server's clock is virtual: then the run moves it itself.</summary>
    public bool IsVirtual => Virtual is not null;

    public void Prompt(string? text) => prompt(text);

    /// <summary>The certified user (known once signed in) and the simulated peers at the user's domain, added when missing.</summary>
    public void Prepare()
    {
        User = Tenant.Directory.FindByAddress(UserKey) ?? throw new InvalidOperationException($"{UserKey} is not in the directory.");
        var domain = UserKey[(UserKey.IndexOf('@', StringComparison.Ordinal) + 1)..];
        Peer = Simulated($"certify-peer@{domain}", "Certification peer", Behavior.Accept);
        Decliner = Simulated($"certify-decliner@{domain}", "Certification decliner", Behavior.Decline);
        Echo = Simulated($"certify-echo@{domain}", "Certification echo", Behavior.Echo);
    }

    private DirectoryUser Simulated(string id, string name, Behavior behavior)
    {
        if (Tenant.Directory.FindByAddress(id) is { } known)
        {
            if (known.Behavior != behavior) Admin.DirectoryAdmin.Edit(Tenant, known, new UserChange(Behavior: behavior));
            return known;
        }
        return Admin.DirectoryAdmin.Add(Tenant, new UserChange(id, name, behavior)) ?? Tenant.Directory.FindByAddress(id)!;
    }

    /// <summary>The journal's latest number.</summary>
    public long LastSeq => Journal.LastSeq;

    /// <summary>The user's live connections.</summary>
    public IReadOnlyList<ConnectionHandle> Connections =>
        [.. Tenant.Control.Connections.Where(c => c.Client.Session?.User.Key == UserKey)];

    /// <summary>
    /// Closes every connection of the user with <paramref name="code"/> and waits (real time, bounded) until none is left,
    /// so that what the server sends next finds the sessions signed out or parked, not an outbox that takes no more frames.
    /// A closed connection tells nobody when it ends, so this looks every 20 ms.
    /// </summary>
    public async Task<IReadOnlySet<string>> DropAsync(int code, string reason, CancellationToken cancellationToken)
    {
        var dropped = Connections;
        var sessions = dropped.Select(static d => d.Client.Session).OfType<Features.Sessions.Session>().ToList();
        foreach (var connection in dropped) connection.Close(code, reason);
        var closing = Stopwatch.GetTimestamp();
        // Settled: each session parked (background mode) or signed out.
        while (sessions.Any(s => !s.IsParked && Tenant.Sessions.TargetsOf(UserKey).Contains(s)) && Stopwatch.GetElapsedTime(closing) < Settings.Reply)
            await Task.Delay(TimeSpan.FromMilliseconds(20), TimeProvider.System, cancellationToken);
        return dropped.Select(static h => h.Client.Id).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Inbound requests of the user (BeginSession's carry no user: it has no session yet).</summary>
    public JournalFilter In(string? method, long after) =>
        new() { Direction = "in", Kind = "request", Method = method, User = UserKey, After = after };

    /// <summary>Outbound frames to the user.</summary>
    public JournalFilter Out(string? method, string? kind, long after) =>
        new() { Direction = "out", Kind = kind, Method = method, User = UserKey, After = after };

    /// <summary>The first answer (PROCESSING, error, or a synchronous answer) to a request of the journal.</summary>
    public Task<JournalEntry?> AnswerAsync(JournalEntry request, CancellationToken cancellationToken, string? kind = null) =>
        WaitAsync(new JournalFilter { Direction = "out", Connection = request.Connection, Answers = request.Id, Kind = kind, After = request.Seq },
            Settings.Reply, cancellationToken);

    /// <summary>
    /// The first frame after <c>filter.After</c> that matches the filter and <paramref name="where"/>, already recorded or
    /// still to come within <paramref name="window"/> (real time, never less than a look at what is recorded); null when none came.
    /// </summary>
    public async Task<JournalEntry?> WaitAsync(JournalFilter filter, TimeSpan window, CancellationToken cancellationToken,
        Func<JournalEntry, bool>? where = null)
    {
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            // Past the window the frames already recorded are still looked at (a zero wait).
            var left = TimeSpan.FromTicks(Math.Max(0, (window - Stopwatch.GetElapsedTime(started)).Ticks));
            var entry = await Journal.WaitForAsync(filter, left, cancellationToken);
            cancellationToken.ThrowIfCancellationRequested();
            if (entry is null || where is null || where(entry)) return entry;
            filter = filter with { After = entry.Seq };
        }
    }

    /// <summary>The frames after <paramref name="after"/> (and up to <paramref name="until"/>) matching the filter.</summary>
    public IReadOnlyList<JournalEntry> Frames(JournalFilter filter, long until = long.MaxValue) =>
        [.. Journal.Query(filter, int.MaxValue).Entries.Where(e => e.Seq <= until)];

    /// <summary>Every frame of the connections the user used since the run started (BeginSession included).</summary>
    public IReadOnlyList<JournalEntry> RunFrames()
    {
        var all = Journal.Query(new JournalFilter { After = Start }, int.MaxValue).Entries;
        var connections = all.Where(e => e.User == UserKey && e.Connection != FrameJournal.HttpConnection).Select(static e => e.Connection)
            .ToHashSet(StringComparer.Ordinal);
        return [.. all.Where(e => connections.Contains(e.Connection))];
    }

    /// <summary>The peer sends the user a message (the chat opens with an invitation the client must accept first).</summary>
    public async Task<JournalEntry?> MessageToClientAsync(string text, CancellationToken cancellationToken, DirectoryUser? from = null)
    {
        var after = LastSeq;
        new Injector(Tenant.Services).SendMessage(from ?? Peer, User, text, null);
        return await WaitAsync(Out(MethodNames.MessageReceived, "event", after), Settings.Delivery, cancellationToken,
            e => DataText(e, "message") == text);
    }

    /// <summary>Asks the client (a message from the peer) to send <paramref name="text"/> to <paramref name="to"/>; returns the command's MessageReceived.</summary>
    public Task<JournalEntry?> CommandAsync(DirectoryUser to, string text, CancellationToken cancellationToken) =>
        MessageToClientAsync($"{SendCommand}{to.Uri} {text}", cancellationToken);

    /// <summary>The client's SendMessage of <paramref name="text"/> to <paramref name="to"/> after <paramref name="after"/>.</summary>
    public Task<JournalEntry?> SentAsync(DirectoryUser to, string text, long after, TimeSpan window, CancellationToken cancellationToken) =>
        WaitAsync(In(MethodNames.SendMessage, after), window, cancellationToken, e => IsSend(e, to, text));

    public static bool IsSend(JournalEntry e, DirectoryUser to, string text) =>
        e.Method == MethodNames.SendMessage && ParamText(e, "message") == text
        && ContactAddress.TryNormalize(ParamText(e, "contactId"), out var key) && key == to.Key;

    /// <summary>
    /// Whether the client still does what it is asked: the peer asks it to send a fresh text back, and its SendMessage
    /// must come within the reply window. Returns the command and the client's SendMessage (null when none came).
    /// </summary>
    public async Task<(JournalEntry? Command, JournalEntry? Reply)> ProbeAsync(CancellationToken cancellationToken)
    {
        var text = "probe-" + Interlocked.Increment(ref _probes).ToString(CultureInfo.InvariantCulture);
        var command = await CommandAsync(Peer, text, cancellationToken);
        if (command is null) return (null, null);
        return (command, await SentAsync(Peer, text, command.Seq, Settings.Reply, cancellationToken));
    }

    /// <summary>Sends a frame to every session of the user, as the server's own traffic goes out.</summary>
    public void ToClient(OutboundFrame frame)
    {
        var fx = new Effects();
        fx.Send(Tenant.Sessions.TargetsOf(UserKey), frame);
        fx.Release();
    }

    /// <summary>A fault rule for the user's requests of one method, removed when the returned scope ends.</summary>
    public IDisposable Fault(FaultSpec spec)
    {
        var rule = Tenant.Control.Faults.Add(spec with { User = UserKey });
        return new Removal(() => Tenant.Control.Faults.Remove(rule.Id));
    }

    /// <summary>Moves a virtual clock forward (nothing on the system clock, where time passes by itself).</summary>
    public void Advance(TimeSpan by) => Virtual?.Advance(by);

    public static string? DataText(JournalEntry e, string name) =>
        FrameRow.Path(e.Frame, "result", "data") is { } data ? FrameRow.Text(data, name) : null;

    public static string? ParamText(JournalEntry e, string name) =>
        FrameRow.Path(e.Frame, "params") is { } p ? FrameRow.Text(p, name) : null;

    public static int? ErrorCode(JournalEntry e) =>
        FrameRow.Path(e.Frame, "error", "code") is { ValueKind: JsonValueKind.Number } code && code.TryGetInt32(out var c) ? c : null;

    private sealed class Removal(Action remove) : IDisposable
    {
        public void Dispose() => remove();
    }
}

/// <summary>The windows of a run (docs/certification.md); the session timeout is the server's (<c>Bems:Session:TimeoutSeconds</c>).</summary>
internal sealed record CertificationSettings
{
    /// <summary>A client's reaction to one frame: a MessageAck, an AcceptChat, a commanded SendMessage, a token refresh.</summary>
    public TimeSpan Reply { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>A peer's message reaching the client, an invitation accepted on the way.</summary>
    public TimeSpan Delivery { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long the COMPLETE of no-resend-on-late-complete is held (server clock).</summary>
    public TimeSpan HeldComplete { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>A new socket and session after the server dropped the old one.</summary>
    public TimeSpan Reconnect { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>What the person at the client has to do an interactive case's step.</summary>
    public TimeSpan Interactive { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The session timeout Ping reports (<c>Bems:Session:TimeoutSeconds</c>).</summary>
    public TimeSpan SessionTimeout { get; init; } = TimeSpan.FromSeconds(86400);

    /// <summary>How long a virtual-clock keep-alive step waits in real time for the client's frame.</summary>
    public TimeSpan ClockStep { get; init; } = TimeSpan.FromSeconds(5);
}
