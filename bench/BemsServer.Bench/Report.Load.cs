using System.Text;
using BemsServer.Bench.Client;

namespace BemsServer.Bench;

/// <summary>report.md's open-loop and correctness sections.</summary>
internal static partial class Report
{
    private static void OpenLoopSection(StringBuilder md, Options options, Figures f)
    {
        md.AppendLine();
        md.AppendLine(Ci, $"## 2. Open loop at the same offered rate for both targets, {options.LatencyPairs} pairs");
        md.AppendLine();
        md.AppendLine(Ci, $"Each phase runs R1 and BemsServer at the same rate: a fraction of BemsServer's closed-loop capacity at {options.LatencyPairs} pairs in the same round (a rate marked \"own\" was set by R1's capacity because BemsServer's was not measured). Latency is timed from each message's intended send time (no coordinated omission); R1's three columns are all its echo. ms, p50 / p99 / p99.9 (medians over the rounds). Server CPU per message and CPU % cover the phase after its warm-up, which lasts {options.LatencyWarmup.TotalSeconds:G} s and then, up to {options.LatencyWarmupLimit.TotalSeconds:G} s more, until the server's collector has collected no generation 1 or older for {options.GcQuiet.TotalSeconds:G} s and its JIT has compiled no method for {options.JitQuiet.TotalSeconds:G} s (seconds, median; the rounds in which the limit came first are counted).");
        md.AppendLine();
        md.AppendLine("| phase | target | rate (msg/s) | send→PROCESSING | send→COMPLETE | send→delivered | p99 delivered (min–max) | server CPU µs/msg | server / client / machine CPU % | client lag p99 | warm-up (s) | valid |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var fraction in options.LoadFractions)
        {
            var phase = Targets.Percent(fraction);
            foreach (var (name, list) in new[] { (Figures.R1, f.R1Rounds), (Figures.BemsServer, f.BemsRounds) })
            {
                var runs = list.Select(r => r.OpenLoopAt(fraction)).OfType<LatencyRun>().ToList();
                if (runs.Count == 0)
                {
                    continue;
                }

                Spread? Of(Func<LatencyRun, double> value) => Spread.Of(runs.Select(value));
                var own = runs.Any(l => l.RateBasis == Runner.FixedBasis) ? " (--rate-basis)" : runs.Any(l => l.RateBasis != Figures.BemsServer) ? " (own)" : "";
                md.AppendLine(Ci, $"| {phase} | {name} | {Cell(Of(l => l.TargetRatePerSecond), "F0")}{own} | {Pct(runs, l => l.SendToProcessing)} | {Pct(runs, l => l.SendToComplete)} | {Pct(runs, l => l.SendToDelivered)} | {Cell(Of(l => l.SendToDelivered.P99Ms), "F2")} | {Cell(Of(l => l.ServerCpuUsPerMessage), "F1")} | {Med(Of(l => l.ServerCpuPercent))} / {Med(Of(l => l.ClientCpuPercent))} / {Med(Of(l => l.MachineBusyPercent))} | {Cell(Of(l => l.ScheduleLag.P99Ms), "F2")} | {Cell(Of(l => l.Warmup.Seconds), "F1")}{Unsettled(runs)} | {(runs.All(l => l.Valid) ? "yes" : "NO: " + runs.First(l => !l.Valid).InvalidReason)} |");
            }
        }

        md.AppendLine();
        foreach (var fraction in options.LoadFractions)
        {
            md.AppendLine(Ci, $"- At {Targets.Percent(fraction)}, BemsServer ÷ R1 at the same rate: p99 send→delivered {Cell(f.Ratio(r => Figures.AtSameRate(r, fraction)?.SendToDelivered.P99Ms), "F2")}, server CPU per message {Cell(f.Ratio(r => Figures.AtSameRate(r, fraction)?.ServerCpuUsPerMessage), "F2")}.");
        }
    }

    private static string Unsettled(List<LatencyRun> runs)
    {
        var unsettled = runs.Count(l => l.Warmup.GcSettled == false || l.Warmup.JitSettled == false);
        return unsettled == 0 ? "" : $" (collector or JIT still busy in {unsettled} of {runs.Count})";
    }

    private static void CorrectnessSection(StringBuilder md, IReadOnlyList<TargetRound> rounds)
    {
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

            foreach (var l in r.OpenLoop)
            {
                Row(md, r, $"open loop {Targets.Percent(l.LoadFraction)}, {l.Pairs} pairs", l.Counts, l.Counts.Ok && l.Drained);
            }
        }

        var failures = rounds.SelectMany(r => r.Failures.Select(f => (r, f))).ToList();
        if (failures.Count == 0)
        {
            return;
        }

        md.AppendLine();
        md.AppendLine("### Failures");
        md.AppendLine();
        foreach (var (r, f) in failures)
        {
            md.AppendLine(Ci, $"- {r.Target} round {r.Round}:");
            md.AppendLine("  ```");
            foreach (var line in f.Split('\n'))
            {
                md.AppendLine(Ci, $"  {line.TrimEnd()}");
            }

            md.AppendLine("  ```");
        }
    }

    private static void Row(StringBuilder md, TargetRound r, string phase, LoadCounts c, bool ok) =>
        md.AppendLine(Ci, $"| {r.Target} | {r.Round} | {phase} | {c.Sent} | {c.Processing} | {c.Complete} | {c.Delivered} | {c.Errors} | {c.Unexpected} | {(ok ? "yes" : "**NO**")} |");

    private static string Pct(List<LatencyRun> runs, Func<LatencyRun, Percentiles> pick)
    {
        var p50 = Spread.Of(runs.Select(r => pick(r).P50Ms));
        var p99 = Spread.Of(runs.Select(r => pick(r).P99Ms));
        var p999 = Spread.Of(runs.Select(r => pick(r).P999Ms));
        return p50 is null || p99 is null || p999 is null
            ? "–"
            : string.Create(Ci, $"{p50.Median:F2} / {p99.Median:F2} / {p999.Median:F2}");
    }
}
