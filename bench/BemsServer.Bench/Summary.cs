using System.Text.Json.Serialization;

namespace BemsServer.Bench;

/// <summary>
/// The machine-readable headline figures (summary.json), in declaration order: first the figures of
/// the targets, then their context. Numbers are medians over the rounds; ratios are BemsServer ÷ R1
/// within each round, then their median. A figure that could not be measured is null.
/// </summary>
internal sealed record Summary
{
    public required string Mode { get; init; }
    public required int Rounds { get; init; }

    public double? ServerCpuRatioToR1At100Pairs { get; init; }
    public double? ServerCpuRatioToR1AtLightLoad { get; init; }
    public double? CapacityRatioToR1At100Pairs { get; init; }
    public double? P99DeliveredRatioToR1AtSameRate { get; init; }
    public double? P99SendToDeliveredMsAtHalfLoad { get; init; }
    public double? R1P99SendToDeliveredMsAtSameRate { get; init; }
    public double? IdleSessionKiB { get; init; }
    public double? StartupRatioToR1 { get; init; }
    public required int Mismatches { get; init; }

    public required bool LatencyValid { get; init; }
    public double? HalfLoadRatePerSecond { get; init; }
    public double? LightLoadRatePerSecond { get; init; }
    public double? P99SendToDeliveredMsAtLightLoad { get; init; }
    public double? R1P99SendToDeliveredMsAtLightLoad { get; init; }
    public double? ServerCpuUsPerMessageAtLightLoad { get; init; }
    public double? R1ServerCpuUsPerMessageAtLightLoad { get; init; }
    public double? ServerCpuPercentAtHalfLoad { get; init; }
    public double? ServerCpuPercentAtLightLoad { get; init; }
    public int? IdleSessionCount { get; init; }
    public double? StartupMs { get; init; }
    public double? R1StartupMs { get; init; }
    public double? CapacityAt100PairsMsgPerSec { get; init; }
    public double? R1CapacityAt100PairsMsgPerSec { get; init; }
    public double? ServerCpuUsPerMessageAt100Pairs { get; init; }
    public double? R1ServerCpuUsPerMessageAt100Pairs { get; init; }
    public double? ServerAllocatedBytesPerMessageAt100Pairs { get; init; }
    public double? ClientCpuPercentAt100Pairs { get; init; }
    public double? OpenIdleSessionsSeconds { get; init; }
    public required double DurationSeconds { get; init; }
    public required IReadOnlyDictionary<string, bool?> TargetsMet { get; init; }

    /// <summary>The cluster target beside the single node (--nodes 2; absent without it). Its mismatches count in <see cref="Mismatches"/>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ClusterSummary? Cluster { get; init; }

    public static Summary Of(Options options, RunInfo info, IReadOnlyList<TargetRound> rounds)
    {
        var f = new Figures(options, rounds);
        var mismatches = rounds.Sum(r => r.Mismatches);
        var targets = Targets.Evaluate(options, f, mismatches);
        double? Target(string key) => targets.First(t => t.Key == key).Value?.Median;
        var single = f.R1Rounds.Concat(f.BemsRounds).ToList();
        return new Summary
        {
            Mode = info.Mode,
            Rounds = options.Rounds,
            ServerCpuRatioToR1At100Pairs = Target("serverCpuRatioAt100Pairs"),
            ServerCpuRatioToR1AtLightLoad = Target("serverCpuRatioAtLightLoad"),
            CapacityRatioToR1At100Pairs = Target("capacityRatio"),
            P99DeliveredRatioToR1AtSameRate = Target("p99DeliveredRatio"),
            P99SendToDeliveredMsAtHalfLoad = f.Bems(r => f.HalfLoad(r)?.SendToDelivered.P99Ms)?.Median,
            R1P99SendToDeliveredMsAtSameRate = f.OfR1(r => f.HalfLoad(r)?.SendToDelivered.P99Ms)?.Median,
            IdleSessionKiB = Target("idleSession"),
            StartupRatioToR1 = Target("startupRatio"),
            Mismatches = mismatches,
            LatencyValid = single.Any(r => r.OpenLoop.Count > 0) && single.All(r => r.OpenLoop.All(l => l.Valid)),
            HalfLoadRatePerSecond = f.Bems(r => f.HalfLoad(r)?.TargetRatePerSecond)?.Median,
            LightLoadRatePerSecond = f.Bems(r => f.LightLoad(r)?.TargetRatePerSecond)?.Median,
            P99SendToDeliveredMsAtLightLoad = f.Bems(r => f.LightLoad(r)?.SendToDelivered.P99Ms)?.Median,
            R1P99SendToDeliveredMsAtLightLoad = f.OfR1(r => f.LightLoad(r)?.SendToDelivered.P99Ms)?.Median,
            ServerCpuUsPerMessageAtLightLoad = f.Bems(r => f.LightLoad(r)?.ServerCpuUsPerMessage)?.Median,
            R1ServerCpuUsPerMessageAtLightLoad = f.OfR1(r => f.LightLoad(r)?.ServerCpuUsPerMessage)?.Median,
            ServerCpuPercentAtHalfLoad = f.Bems(r => f.HalfLoad(r)?.ServerCpuPercent)?.Median,
            ServerCpuPercentAtLightLoad = f.Bems(r => f.LightLoad(r)?.ServerCpuPercent)?.Median,
            IdleSessionCount = f.IdleSessionCount,
            StartupMs = f.Bems(Figures.Startup)?.Median,
            R1StartupMs = f.OfR1(Figures.Startup)?.Median,
            CapacityAt100PairsMsgPerSec = f.Bems(f.Capacity)?.Median,
            R1CapacityAt100PairsMsgPerSec = f.OfR1(f.Capacity)?.Median,
            ServerCpuUsPerMessageAt100Pairs = f.Bems(f.ServerCpuUs)?.Median,
            R1ServerCpuUsPerMessageAt100Pairs = f.OfR1(f.ServerCpuUs)?.Median,
            ServerAllocatedBytesPerMessageAt100Pairs = f.Bems(r => f.Headline(r)?.ServerAllocatedBytesPerMessage)?.Median,
            ClientCpuPercentAt100Pairs = f.Bems(r => f.Headline(r)?.ClientCpuPercent)?.Median,
            OpenIdleSessionsSeconds = f.Bems(r => r.Idle.FirstOrDefault(s => s.Sessions == f.IdleSessionCount)?.OpenSeconds)?.Median,
            DurationSeconds = info.DurationSeconds,
            TargetsMet = targets.ToDictionary(t => t.Key, t => t.Met),
            Cluster = ClusterSummary.Of(options, f),
        };
    }
}
