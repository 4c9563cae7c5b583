using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace BemsServer.Bench;

/// <summary>The machine-readable headline figures (summary.json). Numbers are medians over the rounds.</summary>
internal sealed record Summary(
    string Mode,
    int Rounds,
    double? CapacityRatioToR1At100Pairs,
    double? P99SendToDeliveredMsAtHalfLoad,
    double? IdleSessionKiB,
    int? IdleSessionCount,
    double? StartupMs,
    int Mismatches,
    bool LatencyValid,
    double? CapacityAt100PairsMsgPerSec,
    double? R1CapacityAt100PairsMsgPerSec,
    double? ServerCpuUsPerMessageAt100Pairs,
    double? ServerAllocatedBytesPerMessageAt100Pairs,
    double? ClientCpuPercentAt100Pairs,
    double? OpenIdleSessionsSeconds,
    double? R1StartupMs,
    double DurationSeconds,
    IReadOnlyDictionary<string, bool?> TargetsMet);

internal sealed record RunInfo(
    string Mode,
    DateTimeOffset StartedUtc,
    double DurationSeconds,
    int ProcessorCount,
    string Os,
    string Runtime,
    bool ClientServerGc,
    long? OpenFileLimit,
    double BackgroundBusyPercent,
    string LoadAverageAtStart,
    string LoadAverageAtEnd,
    string ServerDll,
    IReadOnlyList<string> Notes);

internal static class Report
{
    public const string TargetCapacity = "capacityRatio";
    public const string TargetP99 = "p99SendToDelivered";
    public const string TargetIdle = "idleSession";
    public const string TargetStartup = "startup";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        Converters = { new FiniteDoubleConverter() },
    };

    public static Summary Summarize(Options options, RunInfo info, IReadOnlyList<TargetRound> rounds, int latencyPairs)
    {
        var r1 = rounds.Where(r => r.Target == "R1").ToList();
        var bems = rounds.Where(r => r.Target == "BemsServer").ToList();
        var largest = bems.SelectMany(r => r.Idle).Select(s => s.Sessions).DefaultIfEmpty().Max();
        var ratio = Spread.Of(CapacityRatios(rounds, latencyPairs));
        var p99 = Spread.Of(bems.Where(r => r.Latency is not null).Select(r => r.Latency!.SendToDelivered.P99Ms));
        var idle = Spread.Of(bems.SelectMany(r => r.Idle).Where(s => s.Sessions == largest).Select(s => s.KiBPerSession));
        var startup = Spread.Of(bems.Where(r => r.StartupMs is not null).Select(r => r.StartupMs!.Value));
        var at = (List<TargetRound> list) => list.SelectMany(r => r.Capacity).Where(c => c.Pairs == latencyPairs).ToList();
        var mismatches = rounds.Sum(r => r.Mismatches);
        var latencyValid = rounds.All(r => r.Latency is null || r.Latency.Valid) && rounds.Any(r => r.Latency is not null);

        var met = new Dictionary<string, bool?>
        {
            [TargetCapacity] = ratio is null ? null : ratio.Median >= 0.6,
            [TargetP99] = p99 is null ? null : p99.Median <= 3.0,
            [TargetIdle] = idle is null ? null : idle.Median * 1024 <= 20_000,
            [TargetStartup] = startup is null ? null : startup.Median <= 500,
        };

        return new Summary(
            info.Mode,
            options.Rounds,
            ratio?.Median,
            p99?.Median,
            idle?.Median,
            largest == 0 ? null : largest,
            startup?.Median,
            mismatches,
            latencyValid,
            Spread.Of(at(bems).Select(c => c.MessagesPerSecond))?.Median,
            Spread.Of(at(r1).Select(c => c.MessagesPerSecond))?.Median,
            Spread.Of(at(bems).Select(c => c.ServerCpuUsPerMessage))?.Median,
            Spread.Of(at(bems).Where(c => c.ServerAllocatedBytesPerMessage is not null).Select(c => c.ServerAllocatedBytesPerMessage!.Value))?.Median,
            Spread.Of(at(bems).Select(c => c.ClientCpuPercent))?.Median,
            Spread.Of(bems.SelectMany(r => r.Idle).Where(s => s.Sessions == largest).Select(s => s.OpenSeconds))?.Median,
            Spread.Of(r1.Where(r => r.StartupMs is not null).Select(r => r.StartupMs!.Value))?.Median,
            info.DurationSeconds,
            met);
    }

    /// <summary>BemsServer ÷ R1 capacity, paired within each round.</summary>
    private static IEnumerable<double> CapacityRatios(IReadOnlyList<TargetRound> rounds, int pairs) =>
        RoundRatios(rounds, r => r.Capacity.FirstOrDefault(c => c.Pairs == pairs)?.MessagesPerSecond);

    private static IEnumerable<double> RoundRatios(IReadOnlyList<TargetRound> rounds, Func<TargetRound, double?> value)
    {
        foreach (var group in rounds.GroupBy(r => r.Round))
        {
            var r1 = group.FirstOrDefault(r => r.Target == "R1");
            var bems = group.FirstOrDefault(r => r.Target == "BemsServer");
            if (r1 is not null && bems is not null && value(r1) is { } a && value(bems) is { } b && a > 0)
            {
                yield return b / a;
            }
        }
    }

    public static void Write(string dir, Summary summary, RunInfo info, IReadOnlyList<TargetRound> rounds, string markdown)
    {
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "summary.json"), JsonSerializer.Serialize(summary, Json) + "\n");
        File.WriteAllText(Path.Combine(dir, "results.json"), JsonSerializer.Serialize(new { info, summary, rounds }, Json) + "\n");
        File.WriteAllText(Path.Combine(dir, "report.md"), markdown);
    }

    public static string Markdown(Options options, RunInfo info, Summary summary, IReadOnlyList<TargetRound> rounds)
    {
        var md = new StringBuilder();
        var ci = CultureInfo.InvariantCulture;
        var r1 = rounds.Where(r => r.Target == "R1").ToList();
        var bems = rounds.Where(r => r.Target == "BemsServer").ToList();

        md.AppendLine(ci, $"# BemsServer benchmark ({info.Mode})");
        md.AppendLine();
        md.AppendLine(ci, $"{info.StartedUtc:yyyy-MM-dd HH:mm} UTC · {info.ProcessorCount} cores · {info.Os} · .NET {info.Runtime} · {options.Rounds} rounds interleaved (R1, BemsServer, R1, …), a fresh server process per round · {info.DurationSeconds:F0} s in all.");
        md.AppendLine(ci, $"Before the run the machine was {info.BackgroundBusyPercent:F0} % busy (of {info.ProcessorCount * 100} %); load average {info.LoadAverageAtStart} at the start, {info.LoadAverageAtEnd} at the end.");
        md.AppendLine("Cells are the median over the rounds with (min–max). R1 is a bare Kestrel WebSocket echo server: the limit.");
        foreach (var note in info.Notes)
        {
            md.AppendLine(ci, $"- Note: {note}");
        }

        md.AppendLine();
        md.AppendLine("## Summary against the targets");
        md.AppendLine();
        md.AppendLine("| figure | BemsServer | target | met |");
        md.AppendLine("|---|---|---|---|");
        md.AppendLine(ci, $"| capacity at {options.LatencyPairs} pairs ÷ R1 | {Cell(Spread.Of(CapacityRatios(rounds, options.LatencyPairs)), "F2")} | ≥ 0.6 | {Met(summary.TargetsMet[TargetCapacity])} |");
        md.AppendLine(ci, $"| p99 send→delivered at {options.LoadFraction:P0} load | {Cell(Spread.Of(bems.Where(r => r.Latency is not null).Select(r => r.Latency!.SendToDelivered.P99Ms)), "F2", " ms")} | ≤ 3 ms | {Met(summary.TargetsMet[TargetP99])}{(summary.LatencyValid ? "" : " (run invalid: client behind schedule)")} |");
        md.AppendLine(ci, $"| idle signed-in session at {summary.IdleSessionCount?.ToString(ci) ?? "-"} | {Cell(Spread.Of(bems.SelectMany(r => r.Idle).Where(s => s.Sessions == summary.IdleSessionCount).Select(s => s.KiBPerSession)), "F1", " KiB")} | ≤ 20 KB | {Met(summary.TargetsMet[TargetIdle])} |");
        md.AppendLine(ci, $"| start-up (process start → BeginSession COMPLETE) | {Cell(Spread.Of(bems.Where(r => r.StartupMs is not null).Select(r => r.StartupMs!.Value)), "F0", " ms")} | ≤ 500 ms | {Met(summary.TargetsMet[TargetStartup])} |");
        md.AppendLine(ci, $"| correctness (phases with mismatched counts or errors) | {summary.Mismatches} | 0 | {Met(summary.Mismatches == 0)} |");
        md.AppendLine();

        md.AppendLine("## 1. Closed-loop capacity (completed SendMessage/s, one in flight per pair)");
        md.AppendLine();
        md.AppendLine("| pairs | R1 (echo/s) | BemsServer (msg/s) | ratio to R1 | BemsServer mean round trip |");
        md.AppendLine("|---:|---|---|---|---|");
        foreach (var pairs in options.PairCounts)
        {
            md.AppendLine(ci, $"| {pairs} | {Cell(Cap(r1, pairs, c => c.MessagesPerSecond), "F0")} | {Cell(Cap(bems, pairs, c => c.MessagesPerSecond), "F0")} | {Cell(Spread.Of(CapacityRatios(rounds, pairs)), "F2")} | {Cell(Cap(bems, pairs, c => c.MeanRoundTripMs), "F2", " ms")} |");
        }

        md.AppendLine();
        md.AppendLine(ci, $"## 2. Open-loop latency at {options.LoadFraction:P0} of the measured capacity, {options.LatencyPairs} pairs");
        md.AppendLine();
        md.AppendLine("Timed from each message's intended send time (no coordinated omission); R1's three columns are all its echo. ms, p50 / p99 / p99.9 (medians over the rounds).");
        md.AppendLine();
        md.AppendLine("| target | rate (msg/s) | send→PROCESSING | send→COMPLETE | send→delivered | p99 delivered (min–max) | client lag p99 | server / client / machine CPU % | valid |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var (name, list) in new[] { ("R1", r1), ("BemsServer", bems) })
        {
            var lat = list.Where(r => r.Latency is not null).Select(r => r.Latency!).ToList();
            if (lat.Count == 0)
            {
                continue;
            }

            md.AppendLine(ci, $"| {name} | {Cell(Spread.Of(lat.Select(l => l.TargetRatePerSecond)), "F0")} | {Pct(lat, l => l.SendToProcessing)} | {Pct(lat, l => l.SendToComplete)} | {Pct(lat, l => l.SendToDelivered)} | {Cell(Spread.Of(lat.Select(l => l.SendToDelivered.P99Ms)), "F2")} | {Cell(Spread.Of(lat.Select(l => l.ScheduleLag.P99Ms)), "F2")} | {Med(lat.Select(l => l.ServerCpuPercent))} / {Med(lat.Select(l => l.ClientCpuPercent))} / {Med(lat.Select(l => l.MachineBusyPercent))} | {(lat.All(l => l.Valid) ? "yes" : "NO: " + lat.First(l => !l.Valid).InvalidReason)} |");
        }

        md.AppendLine();
        md.AppendLine("## 3. Cost per completed SendMessage (closed loop, measurement window)");
        md.AppendLine();
        md.AppendLine("Server figures come from the server process's own counters (GET /admin/process; /proc when absent). CPU % is of one core (this machine has " + info.ProcessorCount.ToString(ci) + ", so the machine tops out at " + (info.ProcessorCount * 100).ToString(ci) + " %; steal is time the hypervisor took). The client shares the machine: its CPU is shown so a client-bound result can be recognised.");
        md.AppendLine();
        md.AppendLine("| pairs | target | server CPU µs/msg | server alloc B/msg | server CPU % | client CPU % | client µs/msg | machine busy % (steal) |");
        md.AppendLine("|---:|---|---|---|---|---|---|---|");
        foreach (var pairs in options.PairCounts)
        {
            foreach (var (name, list) in new[] { ("R1", r1), ("BemsServer", bems) })
            {
                if (list.Count == 0)
                {
                    continue;
                }

                md.AppendLine(ci, $"| {pairs} | {name} | {Cell(Cap(list, pairs, c => c.ServerCpuUsPerMessage), "F1")} | {Cell(Cap(list, pairs, c => c.ServerAllocatedBytesPerMessage ?? double.NaN), "F0")} | {Cell(Cap(list, pairs, c => c.ServerCpuPercent), "F0")} | {Cell(Cap(list, pairs, c => c.ClientCpuPercent), "F0")} | {Cell(Cap(list, pairs, c => c.ClientCpuUsPerMessage), "F1")} | {Med(list.SelectMany(r => r.Capacity).Where(c => c.Pairs == pairs).Select(c => c.MachineBusyPercent))} ({Med(list.SelectMany(r => r.Capacity).Where(c => c.Pairs == pairs).Select(c => c.MachineStealPercent))}) |");
            }
        }

        md.AppendLine();
        md.AppendLine("## 4. Memory per idle connection (server working-set delta ÷ count)");
        md.AppendLine();
        md.AppendLine("BemsServer: signed-in sessions (BeginSession COMPLETE); R1: connected idle sockets. The baseline is taken after a few warm-up sessions.");
        md.AppendLine();
        md.AppendLine("| count | R1 KiB/socket | BemsServer KiB/session | BemsServer GC heap KiB/session | BemsServer time to open (cumulative) |");
        md.AppendLine("|---:|---|---|---|---|");
        foreach (var n in rounds.SelectMany(r => r.Idle).Select(s => s.Sessions).Distinct().Order())
        {
            md.AppendLine(ci, $"| {n} | {Cell(Idle(r1, n, s => s.KiBPerSession), "F1")} | {Cell(Idle(bems, n, s => s.KiBPerSession), "F1")} | {Cell(Idle(bems, n, s => s.GcHeapDeltaBytes is { } g ? g / 1024.0 / n : double.NaN), "F1")} | {Cell(Idle(bems, n, s => s.OpenSeconds), "F2", " s")} |");
        }

        md.AppendLine();
        md.AppendLine("## 5. Start-up (process start → first completed round trip)");
        md.AppendLine();
        md.AppendLine("| target | start-up |");
        md.AppendLine("|---|---|");
        md.AppendLine(ci, $"| R1 (first echo) | {Cell(Spread.Of(r1.Where(r => r.StartupMs is not null).Select(r => r.StartupMs!.Value)), "F0", " ms")} |");
        md.AppendLine(ci, $"| BemsServer (BeginSession COMPLETE) | {Cell(Spread.Of(bems.Where(r => r.StartupMs is not null).Select(r => r.StartupMs!.Value)), "F0", " ms")} |");
        md.AppendLine();

        md.AppendLine("## 6. Correctness under load");
        md.AppendLine();
        md.AppendLine("Every load phase must end with sent = PROCESSING = COMPLETE = delivered, no error and no unexpected frame.");
        md.AppendLine();
        md.AppendLine("| target | round | phase | sent | PROCESSING | COMPLETE | delivered | errors | unexpected | ok |");
        md.AppendLine("|---|---:|---|---:|---:|---:|---:|---:|---:|---|");
        foreach (var r in rounds)
        {
            foreach (var c in r.Capacity)
            {
                Row(md, r, $"closed loop {c.Pairs} pairs", c.Counts, c.Counts.Ok && c.Drained);
            }

            if (r.Latency is { } l)
            {
                Row(md, r, $"open loop {l.Pairs} pairs", l.Counts, l.Counts.Ok && l.Drained);
            }
        }

        var failures = rounds.SelectMany(r => r.Failures.Select(f => (r, f))).ToList();
        if (failures.Count > 0)
        {
            md.AppendLine();
            md.AppendLine("### Failures");
            md.AppendLine();
            foreach (var (r, f) in failures)
            {
                md.AppendLine(ci, $"- {r.Target} round {r.Round}:");
                md.AppendLine("  ```");
                foreach (var line in f.Split('\n'))
                {
                    md.AppendLine(ci, $"  {line.TrimEnd()}");
                }

                md.AppendLine("  ```");
            }
        }

        return md.ToString();
    }

    private static void Row(StringBuilder md, TargetRound r, string phase, Client.LoadCounts c, bool ok) =>
        md.AppendLine(CultureInfo.InvariantCulture, $"| {r.Target} | {r.Round} | {phase} | {c.Sent} | {c.Processing} | {c.Complete} | {c.Delivered} | {c.Errors} | {c.Unexpected} | {(ok ? "yes" : "**NO**")} |");

    private static Spread? Cap(List<TargetRound> list, int pairs, Func<CapacityRun, double> value) =>
        Spread.Of(list.SelectMany(r => r.Capacity).Where(c => c.Pairs == pairs).Select(value));

    private static Spread? Idle(List<TargetRound> list, int n, Func<IdleStep, double> value) =>
        Spread.Of(list.SelectMany(r => r.Idle).Where(s => s.Sessions == n).Select(value));

    private static string Pct(List<LatencyRun> runs, Func<LatencyRun, Percentiles> pick)
    {
        var p50 = Spread.Of(runs.Select(r => pick(r).P50Ms));
        var p99 = Spread.Of(runs.Select(r => pick(r).P99Ms));
        var p999 = Spread.Of(runs.Select(r => pick(r).P999Ms));
        return p50 is null || p99 is null || p999 is null
            ? "–"
            : string.Create(CultureInfo.InvariantCulture, $"{p50.Median:F2} / {p99.Median:F2} / {p999.Median:F2}");
    }

    public static string Cell(Spread? s, string format, string unit = "") =>
        s is null
            ? "–"
            : s.N == 1
                ? s.Median.ToString(format, CultureInfo.InvariantCulture) + unit
                : string.Create(CultureInfo.InvariantCulture, $"{s.Median.ToString(format, CultureInfo.InvariantCulture)}{unit} ({s.Min.ToString(format, CultureInfo.InvariantCulture)}–{s.Max.ToString(format, CultureInfo.InvariantCulture)})");

    private static string Med(IEnumerable<double> values) =>
        Spread.Of(values) is { } s ? s.Median.ToString("F0", CultureInfo.InvariantCulture) : "–";

    private static string Met(bool? met) => met switch
    {
        true => "yes",
        false => "**no**",
        null => "–",
    };

    /// <summary>Writes NaN and infinities as null so every file stays plain JSON.</summary>
    private sealed class FiniteDoubleConverter : JsonConverter<double>
    {
        public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.Null ? double.NaN : reader.GetDouble();

        public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
        {
            if (double.IsFinite(value))
            {
                writer.WriteNumberValue(Math.Round(value, 4));
            }
            else
            {
                writer.WriteNullValue();
            }
        }
    }
}
