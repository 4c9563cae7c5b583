using System.Text;

namespace BemsServer.Bench;

/// <summary>report.md's scale and fixture-start sections, and the header of a run that has only them.</summary>
internal static partial class Report
{
    /// <summary>The header of a scale-only run (<c>--scale</c> or <c>--fixture-start</c> without the rounds).</summary>
    public static string ScaleHeader(RunInfo info)
    {
        var md = new StringBuilder();
        Header(md, info, "no rounds: the scale and fixture-start measurements only", "One run of each measurement: figures of a single run, no medians.");
        return md.ToString();
    }

    /// <summary>The sections of the measurements that ran ("" when neither did).</summary>
    public static string ScaleSections(Options options, ScaleRun? scale, FixtureStartRun? fixture)
    {
        var md = new StringBuilder();
        if (scale is not null)
        {
            ScaleSection(md, options, scale);
        }

        if (fixture is not null)
        {
            FixtureSection(md, fixture);
        }

        return md.ToString();
    }

    private static void ScaleSection(StringBuilder md, Options options, ScaleRun s)
    {
        md.AppendLine();
        md.AppendLine(Ci, $"## 7. Scale: {s.Sessions:N0} sessions on one node");
        md.AppendLine();
        if (s.Limit is not null)
        {
            md.AppendLine(Ci, $"**{s.Sessions:N0} of the {s.Requested:N0} sessions asked for** — {s.Limit}");
            md.AppendLine();
        }

        md.AppendLine(Ci, $"One fresh BemsServer process (single-node engine; start-up {Cell(Spread.Of([s.StartupMs ?? double.NaN]), "F0", " ms")}), every session in one tenant, each a WebSocket signed in (BeginSession → PROCESSING → COMPLETE), opened {options.ConnectConcurrency} at a time from {s.SourceAddresses} client source addresses (127.0.0.2, …, round robin) in {s.Steps.Count} batches. Memory is the server's delta from a baseline taken after {options.WarmupSessions} warm-up sessions, read after each batch and a settle pause; the GC heap is the server's `GC.GetTotalMemory` without a collection, so it includes garbage not yet collected. The load client and the server each hold one descriptor per session (open-file limits: server {Files(s.ServerFiles)}, client {Files(s.ClientFiles)}).");
        md.AppendLine();
        md.AppendLine("| sessions open | time to open (cumulative) | sessions/s | server working set KiB/session | GC heap KiB/session | server reports sessions |");
        md.AppendLine("|---:|---|---|---|---|---|");
        foreach (var step in s.Steps)
        {
            md.AppendLine(Ci, $"| {step.Sessions:N0} | {step.OpenSeconds:F1} s | {step.Sessions / step.OpenSeconds:F0} | {step.KiBPerSession:F1} | {(step.GcHeapDeltaBytes is { } gc ? (gc / 1024.0 / step.Sessions).ToString("F1", Ci) : "–")} | {step.ServerReportedSessions?.ToString(Ci) ?? "–"} |");
        }

        if (s.Chat is { } c)
        {
            md.AppendLine();
            md.AppendLine(Ci, $"Then {s.ChattingSessions:N0} of the open sessions (1 %) chat in {c.Pairs:N0} pair(s) (a chat opened between two open sessions), each pair sending {s.PairRatePerSecond:G} messages/s: {c.TargetRatePerSecond:F0} msg/s, open loop, timed from each message's intended send time, {options.LatencyWarmup.TotalSeconds:G} s of warm-up then {options.LatencyMeasure.TotalSeconds:G} s measured, while the other sessions stay open and idle. ms, p50 / p99 / p99.9.");
            md.AppendLine();
            md.AppendLine("| rate (msg/s) | send→PROCESSING | send→COMPLETE | send→delivered | server CPU µs/msg | server / client / machine CPU % | client lag p99 | valid | counts ok |");
            md.AppendLine("|---|---|---|---|---|---|---|---|---|");
            md.AppendLine(Ci, $"| {c.TargetRatePerSecond:F0} | {Pct([c], l => l.SendToProcessing)} | {Pct([c], l => l.SendToComplete)} | {Pct([c], l => l.SendToDelivered)} | {c.ServerCpuUsPerMessage:F1} | {c.ServerCpuPercent:F0} / {c.ClientCpuPercent:F0} / {c.MachineBusyPercent:F0} | {c.ScheduleLag.P99Ms:F2} | {(c.Valid ? "yes" : "NO: " + c.InvalidReason)} | {(c.Counts.Ok && c.Drained ? "yes" : "**NO** " + c.Counts)} |");
        }

        foreach (var failure in s.Failures)
        {
            md.AppendLine();
            md.AppendLine("Failed:");
            md.AppendLine("```");
            md.AppendLine(failure);
            md.AppendLine("```");
        }
    }

    private static void FixtureSection(StringBuilder md, FixtureStartRun f)
    {
        md.AppendLine();
        md.AppendLine("## 8. The in-process fixture's start (BemsServer.Testing)");
        md.AppendLine();
        md.AppendLine(Ci, $"`BemsEmulator.StartAsync()` in the bench's own process, then a client's first BeginSession COMPLETE on it, then `DisposeAsync()`: {f.StartMs.Count} times, one after the other, before the bench pinned itself (every core, as a test process has). The first start is what a test run's first class pays (assembly loading, JIT); the later ones what each further class that starts its own emulator pays.");
        md.AppendLine();
        md.AppendLine("| first start (StartAsync of it) | later starts, median (min–max) | StartAsync of the later starts | stop, median (min–max) |");
        md.AppendLine("|---|---|---|---|");
        md.AppendLine(Ci, $"| {Cell(Spread.Of([f.FirstMs ?? double.NaN]), "F0", " ms")} ({Cell(Spread.Of(f.StartAsyncMs.Take(1)), "F0", " ms")}) | {Cell(f.Later, "F0", " ms")} | {Cell(f.LaterStartAsync, "F0", " ms")} | {Cell(f.Stop, "F0", " ms")} |");
        if (f.Failure is not null)
        {
            md.AppendLine();
            md.AppendLine(Ci, $"Failed: {f.Failure}");
        }
    }

    private static string Files(Hosting.FileLimits? files) =>
        files is null ? "unknown" : string.Create(Ci, $"{files.Soft:N0} (hard {files.Hard:N0})");
}
