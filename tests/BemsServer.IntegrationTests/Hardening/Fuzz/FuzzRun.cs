using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BemsServer.IntegrationTests.Infrastructure;

namespace BemsServer.IntegrationTests.Hardening.Fuzz;

/// <summary>What a fuzz run saw: messages sent by kind, answers by code, and every broken promise.</summary>
public sealed class FuzzReport
{
    public int Messages { get; set; }
    public int Fragmented { get; set; }
    public int ControlFrames { get; set; }
    public int Tracked { get; set; }
    public int SentinelMessages { get; set; }
    public Dictionary<string, int> ByKind { get; } = [];
    public SortedDictionary<int, int> ByCode { get; } = [];
    public List<string> Failures { get; } = [];

    public override string ToString() =>
        $"{Messages} messages ({Fragmented} fragmented, {ControlFrames} control frames), {Tracked} with a tracked id; kinds: " +
        string.Join(", ", ByKind.OrderBy(static k => k.Key, StringComparer.Ordinal).Select(static k => $"{k.Key} {k.Value}")) +
        "; error codes: " + string.Join(", ", ByCode.Select(static c => $"{c.Key}×{c.Value}")) +
        $"; sentinel messages delivered: {SentinelMessages}; failures: {Failures.Count}";
}

/// <summary>
/// Drives one fuzzing connection in batches: every message must get exactly one immediate answer (PROCESSING or an
/// error), in the order sent, under its own id where the envelope was left intact; no answer may carry -32603, an
/// internal name or a stack trace; the connection must stay open; and a chat between two other users on the same
/// tenant must lose nothing meanwhile.
/// </summary>
public static partial class FuzzRun
{
    private const int Batch = 100;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    public static async Task<FuzzReport> RunAsync(BemsHost host, int messages, int seed)
    {
        var report = new FuzzReport();
        var random = new Random(seed);
        var mutator = new FrameMutator(random, SpecSamples.AllRequests(), 65536);
        var tenant = host.NewTenant(out _);
        await using var sentinelA = await host.SignInAsync(tenant, "sentinel-a@example.com");
        await using var sentinelB = await host.SignInAsync(tenant, "sentinel-b@example.com");
        await sentinelA.OpenChatAsync(sentinelB, "sentinel-b@example.com");

        using var connecting = new CancellationTokenSource(Bound);
        await using var fuzz = await RawWebSocket.ConnectAsync(tenant, new Random(seed + 1), connecting.Token);
        await SendTextAsync(fuzz, """{"method":"BeginSession","params":{"gdAuthToken":"fuzzer@example.com"},"id":"sign-in","jsonrpc":"2.0"}""");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        await ReadAnswersAsync(fuzz, 1, seen, report);

        var sentinelIds = new List<string>();
        for (var start = 0; start < messages; start += Batch)
        {
            // Sign in again first (a fuzzed TerminateSession may have signed out): answered with PROCESSING or -32002.
            var signIn = new FuzzMessage("sign-in", System.Text.Encoding.UTF8.GetBytes(
                $$"""{"method":"BeginSession","params":{"gdAuthToken":"fuzzer@example.com"},"id":"b{{start}}","jsonrpc":"2.0"}"""), false, $"b{start}", [], false);
            await SendAsync(fuzz, signIn, random, report);
            var sent = new List<FuzzMessage> { signIn };
            for (var n = start; n < Math.Min(messages, start + Batch); n++)
            {
                var message = mutator.Next(n);
                sent.Add(message);
                report.Messages++;
                report.ByKind[message.Kind] = report.ByKind.GetValueOrDefault(message.Kind) + 1;
                if (message.ExpectedId is not null) report.Tracked++;
                await SendAsync(fuzz, message, random, report);
            }
            sentinelIds.Add(await sentinelA.SendAsync("SendMessage", new { contactId = "sentinel-b@example.com", message = $"sentinel {start}", messageId = $"s{start}" }));

            var answers = await ReadAnswersAsync(fuzz, sent.Count, seen, report);
            if (answers is null)
            {
                report.Failures.Add($"the fuzzing connection closed ({fuzz.CloseCode}) in the batch from {start}");
                break;
            }
            for (var i = 0; i < sent.Count; i++)
                if (sent[i].ExpectedId is { } expected && answers[i] != expected)
                    report.Failures.Add($"message {start + i - 1} ({sent[i].Kind}) answered as {answers[i] ?? "null"} at its place: " +
                        System.Text.Encoding.UTF8.GetString(sent[i].Bytes.AsSpan(0, Math.Min(300, sent[i].Bytes.Length))));
            if (answers.Contains("(missing)"))
                foreach (var (unanswered, at) in sent.Select((m, i) => (m, i)).Where(p => p.m.ExpectedId is null || !answers.Contains(p.m.ExpectedId)))
                    report.Failures.Add($"  maybe unanswered #{start + at - 1}: {unanswered.Kind} {unanswered.ExpectedId ?? "(any id)"} cut {unanswered.Cuts.Count} ping {unanswered.PingsBetween} len {unanswered.Bytes.Length}: " +
                        System.Text.Encoding.UTF8.GetString(unanswered.Bytes.AsSpan(0, Math.Min(300, unanswered.Bytes.Length))));
            if (report.Failures.Count > 0) break; // later batches would only repeat the first broken promise
        }

        foreach (var (id, index) in sentinelIds.Select((id, i) => (id, i)))
        {
            await sentinelA.WaitForAsync(f => f.Id == id && f.State == "COMPLETE", $"COMPLETE of sentinel {id}", Bound);
            var received = await sentinelB.EventAsync("MessageReceived");
            if (received.Data!["message"]!.GetValue<string>() != $"sentinel {index * Batch}")
                report.Failures.Add($"the sentinel chat got {received.Data!["message"]} for message {index}");
            else report.SentinelMessages++;
        }
        return report;
    }

    private static Task SendTextAsync(RawWebSocket socket, string text) =>
        socket.SendFrameAsync(RawWebSocket.Text, System.Text.Encoding.UTF8.GetBytes(text), fin: true, CancellationToken.None);

    private static async Task SendAsync(RawWebSocket socket, FuzzMessage message, Random random, FuzzReport report)
    {
        if (random.Next(20) == 0)
        {
            await socket.SendFrameAsync(random.Next(2) == 0 ? RawWebSocket.Ping : RawWebSocket.Pong, RandomPayload(random), fin: true, CancellationToken.None);
            report.ControlFrames++;
        }
        var opcode = message.Binary ? RawWebSocket.Binary : RawWebSocket.Text;
        if (message.Cuts.Count == 0)
        {
            await socket.SendFrameAsync(opcode, message.Bytes, fin: true, CancellationToken.None);
            return;
        }
        report.Fragmented++;
        var from = 0;
        foreach (var cut in message.Cuts.Append(message.Bytes.Length))
        {
            await socket.SendFrameAsync(from == 0 ? opcode : RawWebSocket.Continuation, message.Bytes.AsMemory(from, cut - from),
                fin: cut == message.Bytes.Length, CancellationToken.None);
            if (message.PingsBetween && cut < message.Bytes.Length)
            {
                await socket.SendFrameAsync(RawWebSocket.Ping, RandomPayload(random), fin: true, CancellationToken.None);
                report.ControlFrames++;
            }
            from = cut;
        }
    }

    private static byte[] RandomPayload(Random random)
    {
        var payload = new byte[random.Next(0, 126)];
        random.NextBytes(payload);
        return payload;
    }

    /// <summary>Reads until <paramref name="count"/> immediate answers came; returns their ids in wire order (null: closed).</summary>
    private static async Task<List<string?>?> ReadAnswersAsync(RawWebSocket socket, int count, HashSet<string> seen, FuzzReport report)
    {
        var answers = new List<string?>();
        using var timeout = new CancellationTokenSource(Bound);
        try
        {
            while (answers.Count < count)
            {
                if (!await socket.Messages.WaitToReadAsync(timeout.Token)) return null;
                if (!socket.Messages.TryRead(out var text)) continue;
                CheckNoLeak(text, report);
                var frame = JsonNode.Parse(text)!.AsObject();
                var id = frame["id"] is JsonValue v ? (v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : v.ToJsonString()) : null;
                if (id is not null && ServerId().IsMatch(id)) continue; // an event or a MessageUpdate
                if (frame.ContainsKey("sequence")) continue; // a completion
                if (frame["error"] is JsonObject error)
                {
                    var code = error["code"]?.GetValue<int>() ?? 0;
                    report.ByCode[code] = report.ByCode.GetValueOrDefault(code) + 1;
                    answers.Add(id);
                    continue;
                }
                if (id is not null && seen.Add(id)) answers.Add(id); // else a completion without sequence, after its PROCESSING
            }
        }
        catch (OperationCanceledException)
        {
            report.Failures.Add($"only {answers.Count} of {count} answers within {Bound.TotalSeconds} s: {string.Join(" ", answers)}");
        }
        while (answers.Count < count) answers.Add("(missing)");
        return answers;
    }

    private static void CheckNoLeak(string text, FuzzReport report)
    {
        if (Leak().IsMatch(text)) report.Failures.Add($"an answer leaks an internal name or a stack trace: {text[..Math.Min(text.Length, 300)]}");
    }

    [GeneratedRegex("^[Ss][0-9]+$")]
    private static partial Regex ServerId();

    [GeneratedRegex(@"-32603|bems\.(dispatch|reject)|StreamJsonRpc|System\.[A-Z]|Exception|\s+at [A-Z][\w.]+\(")]
    private static partial Regex Leak();
}
