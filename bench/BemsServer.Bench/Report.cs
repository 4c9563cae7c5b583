using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace BemsServer.Bench;

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
    string ServerBuild,
    IReadOnlyList<string> ServerEnvironment,
    string? Pinning,
    IReadOnlyList<string> Notes);

/// <summary>The files of a run (summary.json, results.json) and report.md, whose tables are printed too.</summary>
internal static partial class Report
{
    private static readonly CultureInfo Ci = CultureInfo.InvariantCulture;

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        Converters = { new FiniteDoubleConverter() },
    };

    /// <param name="summary">Null in a scale-only run (no rounds): no summary.json then.</param>
    public static void Write(string dir, Summary? summary, RunInfo info, IReadOnlyList<TargetRound> rounds, ScaleRun? scale, FixtureStartRun? fixtureStart, string markdown)
    {
        Directory.CreateDirectory(dir);
        if (summary is not null)
        {
            File.WriteAllText(Path.Combine(dir, "summary.json"), JsonSerializer.Serialize(summary, Json) + "\n");
        }

        File.WriteAllText(Path.Combine(dir, "results.json"), JsonSerializer.Serialize(new { info, summary, rounds, scale, fixtureStart }, Json) + "\n");
        File.WriteAllText(Path.Combine(dir, "report.md"), markdown);
    }

    /// <summary>Beside a latency figure from a run in which some open-loop phase was invalid.</summary>
    private const string InvalidLatency = " (run invalid: client behind schedule or saturated)";

    public static string Markdown(Options options, RunInfo info, Summary summary, IReadOnlyList<TargetRound> rounds)
    {
        var md = new StringBuilder();
        var f = new Figures(options, rounds);

        Header(md, info, $"{options.Rounds} round(s), fresh server processes per round, each phase run on BemsServer then on R1 back to back", "Cells are the median over the rounds with (min–max). R1 is a bare Kestrel WebSocket echo server: the limit.");
        md.AppendLine("## Summary against the targets");
        md.AppendLine();
        md.AppendLine("Ratios are BemsServer ÷ R1 within each round, then their median.");
        md.AppendLine();
        md.AppendLine("| figure | BemsServer | target | met |");
        md.AppendLine("|---|---|---|---|");
        foreach (var t in Targets.Evaluate(options, f, summary.Mismatches))
        {
            var invalid = t.Key == "p99DeliveredRatio" && !summary.LatencyValid ? InvalidLatency : "";
            md.AppendLine(Ci, $"| {t.Figure} | {Cell(t.Value, t.Format, t.Unit)} | {t.Goal} | {Met(t.Met)}{invalid} |");
        }

        md.AppendLine();
        md.AppendLine("## 1. Closed-loop capacity (completed SendMessage/s, one in flight per pair)");
        md.AppendLine();
        md.AppendLine("| pairs | R1 (echo/s) | BemsServer (msg/s) | ratio to R1 | BemsServer mean round trip |");
        md.AppendLine("|---:|---|---|---|---|");
        foreach (var pairs in options.PairCounts)
        {
            double? Rate(TargetRound r) => r.CapacityAt(pairs)?.MessagesPerSecond;
            md.AppendLine(Ci, $"| {pairs} | {Cell(f.OfR1(Rate), "F0")} | {Cell(f.Bems(Rate), "F0")} | {Cell(f.Ratio(Rate), "F2")} | {Cell(f.Bems(r => r.CapacityAt(pairs)?.MeanRoundTripMs), "F2", " ms")} |");
        }

        OpenLoopSection(md, options, f);
        CostSection(md, options, info, f);
        IdleAndStartupSections(md, f);
        CorrectnessSection(md, rounds);
        ClusterSection(md, options, f, summary.Cluster);
        return md.ToString();
    }

    /// <summary>The run's title, machine, load, pinning and notes.</summary>
    private static void Header(StringBuilder md, RunInfo info, string shape, string reading)
    {
        md.AppendLine(Ci, $"# BemsServer benchmark ({info.Mode})");
        md.AppendLine();
        md.AppendLine(Ci, $"{info.StartedUtc:yyyy-MM-dd HH:mm} UTC · {info.ProcessorCount} cores · {info.Os} · .NET {info.Runtime} · {shape} · {info.DurationSeconds:F0} s in all.");
        md.AppendLine(Ci, $"Before the run the machine was {info.BackgroundBusyPercent:F0} % busy (of {info.ProcessorCount * 100} %); load average {info.LoadAverageAtStart} at the start, {info.LoadAverageAtEnd} at the end.");
        md.AppendLine(reading);
        md.AppendLine(info.Pinning is { } pinned ? $"Pinned (taskset): {pinned}." : "Not pinned: the load client and the servers share every core.");
        md.AppendLine(Ci, $"BemsServer under test: {info.ServerBuild}.");
        if (info.ServerEnvironment.Count > 0)
        {
            md.AppendLine(Ci, $"BemsServer ran with the environment `{string.Join(" ", info.ServerEnvironment)}` (R1 without).");
        }

        foreach (var note in info.Notes)
        {
            md.AppendLine(Ci, $"- Note: {note}");
        }

        md.AppendLine();
    }

    private static void CostSection(StringBuilder md, Options options, RunInfo info, Figures f)
    {
        md.AppendLine();
        md.AppendLine("## 3. Cost per completed SendMessage (closed loop, measurement window)");
        md.AppendLine();
        md.AppendLine(Ci, $"Server figures come from the server process's own counters (GET /admin/process; /proc when absent). CPU % is of one core (this machine has {info.ProcessorCount}, so the machine tops out at {info.ProcessorCount * 100} %; steal is time the hypervisor took). The client shares the machine: its CPU is shown so a client-bound result can be recognised.");
        md.AppendLine();
        if (options.WarmupLimit > TimeSpan.Zero)
            md.AppendLine(Ci, $"Each closed loop warms up for {options.Warmup.TotalSeconds:G} s, then on while the server's JIT still compiles (tiering replacing start-up code with optimized code), until no method has been compiled for {options.JitQuiet.TotalSeconds:G} s or {options.WarmupLimit.TotalSeconds:G} s more have passed; the measurement window follows. The warm-up column is its length, with the rounds in which the limit was reached first.");
        else
            md.AppendLine(Ci, $"Each closed loop warms up for a fixed {options.Warmup.TotalSeconds:G} s (no wait for the server's JIT to settle, so the cost may be a start-up figure); the measurement window follows.");
        md.AppendLine();
        md.AppendLine("| pairs | target | server CPU µs/msg | ÷ R1 | server alloc B/msg | server CPU % | client CPU % | client µs/msg | machine busy % (steal) | warm-up s |");
        md.AppendLine("|---:|---|---|---|---|---|---|---|---|---|");
        foreach (var pairs in options.PairCounts)
        {
            foreach (var (name, list) in new[] { (Figures.R1, f.R1Rounds), (Figures.BemsServer, f.BemsRounds) })
            {
                if (list.Count == 0)
                {
                    continue;
                }

                Spread? Of(Func<CapacityRun, double?> value) => Figures.Of(list, r => r.CapacityAt(pairs) is { } c ? value(c) : null);
                var ratio = name == Figures.BemsServer ? Cell(f.Ratio(r => r.CapacityAt(pairs)?.ServerCpuUsPerMessage), "F2") : "";
                md.AppendLine(Ci, $"| {pairs} | {name} | {Cell(Of(c => c.ServerCpuUsPerMessage), "F1")} | {ratio} | {Cell(Of(c => c.ServerAllocatedBytesPerMessage), "F0")} | {Cell(Of(c => c.ServerCpuPercent), "F0")} | {Cell(Of(c => c.ClientCpuPercent), "F0")} | {Cell(Of(c => c.ClientCpuUsPerMessage), "F1")} | {Med(Of(c => c.MachineBusyPercent))} ({Med(Of(c => c.MachineStealPercent))}) | {Cell(Of(c => c.Warmup.Seconds), "F1")}{Unsettled(list, pairs)} |");
            }
        }
    }

    /// <summary>" (JIT still compiling in N of M rounds)" when a round's warm-up hit its limit.</summary>
    private static string Unsettled(IReadOnlyList<TargetRound> rounds, int pairs)
    {
        var runs = rounds.Select(r => r.CapacityAt(pairs)).OfType<CapacityRun>().ToList();
        var unsettled = runs.Count(c => c.Warmup.JitSettled == false);
        return unsettled == 0 ? "" : $" (JIT still compiling in {unsettled} of {runs.Count})";
    }

    private static void IdleAndStartupSections(StringBuilder md, Figures f)
    {
        md.AppendLine();
        md.AppendLine("## 4. Memory per idle connection (server working-set delta ÷ count)");
        md.AppendLine();
        md.AppendLine("BemsServer: signed-in sessions (BeginSession COMPLETE); R1: connected idle sockets. The baseline is taken after a few warm-up sessions.");
        md.AppendLine();
        md.AppendLine("| count | R1 KiB/socket | BemsServer KiB/session | BemsServer GC heap KiB/session | BemsServer time to open (cumulative) |");
        md.AppendLine("|---:|---|---|---|---|");
        foreach (var n in f.Rounds.SelectMany(r => r.Idle).Select(s => s.Sessions).Distinct().Order())
        {
            Spread? Of(IEnumerable<TargetRound> list, Func<IdleStep, double?> value) =>
                Figures.Of(list, r => r.Idle.FirstOrDefault(s => s.Sessions == n) is { } s ? value(s) : null);
            md.AppendLine(Ci, $"| {n} | {Cell(Of(f.R1Rounds, s => s.KiBPerSession), "F1")} | {Cell(Of(f.BemsRounds, s => s.KiBPerSession), "F1")} | {Cell(Of(f.BemsRounds, s => s.GcHeapDeltaBytes / 1024.0 / n), "F1")} | {Cell(Of(f.BemsRounds, s => s.OpenSeconds), "F2", " s")} |");
        }

        md.AppendLine();
        md.AppendLine("## 5. Start-up (process start → first completed round trip)");
        md.AppendLine();
        md.AppendLine("| target | start-up |");
        md.AppendLine("|---|---|");
        md.AppendLine(Ci, $"| R1 (first echo) | {Cell(f.OfR1(Figures.Startup), "F0", " ms")} |");
        md.AppendLine(Ci, $"| BemsServer (BeginSession COMPLETE) | {Cell(f.Bems(Figures.Startup), "F0", " ms")} |");
        md.AppendLine(Ci, $"| ratio to R1 | {Cell(f.Ratio(Figures.Startup), "F2")} |");
    }

    public static string Cell(Spread? s, string format, string unit = "") =>
        s is null
            ? "–"
            : s.N == 1
                ? s.Median.ToString(format, Ci) + unit
                : string.Create(Ci, $"{s.Median.ToString(format, Ci)}{unit} ({s.Min.ToString(format, Ci)}–{s.Max.ToString(format, Ci)})");

    private static string Med(Spread? s) => s is null ? "–" : s.Median.ToString("F0", Ci);

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
