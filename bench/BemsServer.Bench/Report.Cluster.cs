using System.Text;

namespace BemsServer.Bench;

/// <summary>report.md's cluster section (--nodes 2).</summary>
internal static partial class Report
{
    private static void ClusterSection(StringBuilder md, Options options, Figures f, ClusterSummary? cluster)
    {
        if (cluster is null)
        {
            return;
        }

        var name = options.ClusterName;
        var pairs = options.LatencyPairs;
        var half = Targets.Percent(options.LoadFraction);
        md.AppendLine();
        md.AppendLine(Ci, $"## 7. Cluster mode: {name} beside one BemsServer (--nodes {options.Nodes})");
        md.AppendLine();
        md.AppendLine(Ci, $"{cluster.Placement}. So every SendMessage's delivery crosses from one process to the other. {name} runs last in each round, on fresh processes, at the same open-loop rates as the single node (fractions of the single node's capacity). Its figures sum both processes (CPU, allocations, working set, GC heap). Ratios are {name} ÷ BemsServer within each round, then their median. These are not targets: the nodes share this machine's cores, so a second node adds no capacity here; the figures show what crossing nodes costs.");
        md.AppendLine();
        md.AppendLine(Ci, $"| figure | BemsServer (1 node) | {name} | {name} ÷ 1 node |");
        md.AppendLine("|---|---|---|---|");
        Row(md, f, $"capacity at {pairs} pairs (closed loop, msg/s)", f.Capacity, "F0", "");
        var halfLoadValid = f.ClusterRounds.Concat(f.BemsRounds).All(r => f.HalfLoad(r)?.Valid != false);
        Row(md, f, $"p99 send→delivered at {half} of BemsServer's capacity ({Cell(f.Bems(r => f.HalfLoad(r)?.TargetRatePerSecond), "F0")} msg/s){(halfLoadValid ? "" : InvalidLatency)}", r => f.HalfLoad(r)?.SendToDelivered.P99Ms, "F2", " ms");
        Row(md, f, $"server CPU per SendMessage, {pairs} pairs closed loop (all processes)", f.ServerCpuUs, "F1", " µs");
        Row(md, f, $"server CPU per SendMessage at {half} (all processes)", r => f.HalfLoad(r)?.ServerCpuUsPerMessage, "F1", " µs");
        Row(md, f, $"server allocations per SendMessage, {pairs} pairs (all processes)", r => f.Headline(r)?.ServerAllocatedBytesPerMessage, "F0", " B");
        Row(md, f, $"idle signed-in session at {f.IdleSessionCount?.ToString(Ci) ?? "–"}, working set (all processes)", f.IdleKiB, "F1", " KiB");
        Row(md, f, "idle signed-in session, GC heap (all processes)", f.IdleGcHeapKiB, "F1", " KiB");
        Row(md, f, "start-up (one node: first BeginSession; cluster: node 1's start → node 2's first BeginSession)", Figures.Startup, "F0", " ms");
        md.AppendLine();
        md.AppendLine(Ci, $"| closed loop | BemsServer msg/s | {name} msg/s | ÷ 1 node | BemsServer server CPU µs/msg | {name} server CPU µs/msg |");
        md.AppendLine("|---|---|---|---|---|---|");
        foreach (var n in options.PairCounts)
        {
            double? Rate(TargetRound r) => r.CapacityAt(n)?.MessagesPerSecond;
            double? Cpu(TargetRound r) => r.CapacityAt(n)?.ServerCpuUsPerMessage;
            md.AppendLine(Ci, $"| {n} pairs | {Cell(f.Bems(Rate), "F0")} | {Cell(f.OfCluster(Rate), "F0")} | {Cell(f.ClusterRatio(Rate), "F2")} | {Cell(f.Bems(Cpu), "F1")} | {Cell(f.OfCluster(Cpu), "F1")} |");
        }

        md.AppendLine();
        md.AppendLine(Ci, $"| open loop, {pairs} pairs | rate (msg/s) | BemsServer send→delivered p50 / p99 / p99.9 ms | {name} send→delivered p50 / p99 / p99.9 ms | p99 ÷ 1 node | BemsServer server CPU µs/msg | {name} server CPU µs/msg | valid |");
        md.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var fraction in options.LoadFractions)
        {
            var single = f.BemsRounds.Select(r => Figures.AtSameRate(r, fraction)).OfType<LatencyRun>().ToList();
            var runs = f.ClusterRounds.Select(r => Figures.AtSameRate(r, fraction)).OfType<LatencyRun>().ToList();
            double? Cpu(TargetRound r) => Figures.AtSameRate(r, fraction)?.ServerCpuUsPerMessage;
            var invalid = single.Concat(runs).FirstOrDefault(l => !l.Valid);
            md.AppendLine(Ci, $"| {Targets.Percent(fraction)} of BemsServer's capacity | {Cell(f.OfCluster(r => Figures.AtSameRate(r, fraction)?.TargetRatePerSecond), "F0")} | {Pct(single, l => l.SendToDelivered)} | {Pct(runs, l => l.SendToDelivered)} | {Cell(f.ClusterRatio(r => Figures.AtSameRate(r, fraction)?.SendToDelivered.P99Ms), "F2")} | {Cell(f.Bems(Cpu), "F1")} | {Cell(f.OfCluster(Cpu), "F1")} | {(invalid is null ? "yes" : $"NO ({(single.Contains(invalid) ? "BemsServer" : name)}): {invalid.InvalidReason}")} |");
        }

        md.AppendLine();
        md.AppendLine(Ci, $"{name}'s phases with mismatched counts, errors or failures: {cluster.Mismatches} (counted in the run's mismatches; its rows are in section 6).");
    }

    private static void Row(StringBuilder md, Figures f, string figure, Func<TargetRound, double?> value, string format, string unit) =>
        md.AppendLine(Ci, $"| {figure} | {Cell(f.Bems(value), format, unit)} | {Cell(f.OfCluster(value), format, unit)} | {Cell(f.ClusterRatio(value), "F2")} |");
}
