namespace BemsServer.Bench;

/// <summary>
/// summary.json's "cluster" section (--nodes 2): the cluster target beside the single in-memory BemsServer of the
/// same run. Figures of the cluster are sums over its processes; ratios are cluster ÷ single node within each round,
/// then their median. Context, not targets: on shared cores a second node adds no capacity, so what this shows is the
/// cost of crossing nodes.
/// </summary>
internal sealed record ClusterSummary
{
    public required int Nodes { get; init; }
    public required string Placement { get; init; }

    public double? CapacityAt100PairsMsgPerSec { get; init; }
    public double? SingleNodeCapacityAt100PairsMsgPerSec { get; init; }
    public double? CapacityRatioToSingleNode { get; init; }

    public double? HalfLoadRatePerSecond { get; init; }
    public double? P99SendToDeliveredMsAtHalfLoad { get; init; }
    public double? SingleNodeP99SendToDeliveredMsAtHalfLoad { get; init; }
    public double? P99DeliveredRatioToSingleNode { get; init; }
    /// <summary>True when the client kept its schedule in every open-loop phase of the cluster target.</summary>
    public required bool LatencyValid { get; init; }

    public int? IdleSessionCount { get; init; }
    public double? IdleSessionKiB { get; init; }
    public double? SingleNodeIdleSessionKiB { get; init; }
    public double? IdleGcHeapKiB { get; init; }
    public double? SingleNodeIdleGcHeapKiB { get; init; }

    public double? ServerCpuUsPerMessageAt100Pairs { get; init; }
    public double? SingleNodeServerCpuUsPerMessageAt100Pairs { get; init; }
    public double? ServerCpuRatioToSingleNodeAt100Pairs { get; init; }
    public double? ServerCpuUsPerMessageAtHalfLoad { get; init; }
    public double? SingleNodeServerCpuUsPerMessageAtHalfLoad { get; init; }
    public double? ServerCpuRatioToSingleNodeAtHalfLoad { get; init; }
    public double? ServerAllocatedBytesPerMessageAt100Pairs { get; init; }
    public double? SingleNodeServerAllocatedBytesPerMessageAt100Pairs { get; init; }

    /// <summary>Node 1's start to node 2's first completed BeginSession (node 2 starts once node 1 answers).</summary>
    public double? StartupMs { get; init; }

    public required int Mismatches { get; init; }

    /// <summary>The section, or null when the run had no cluster target.</summary>
    public static ClusterSummary? Of(Options options, Figures f)
    {
        if (f.ClusterRounds.Count == 0)
        {
            return null;
        }

        double? HalfLoadCpu(TargetRound r) => f.HalfLoad(r)?.ServerCpuUsPerMessage;
        double? HalfLoadP99(TargetRound r) => f.HalfLoad(r)?.SendToDelivered.P99Ms;
        double? Allocated(TargetRound r) => f.Headline(r)?.ServerAllocatedBytesPerMessage;
        return new ClusterSummary
        {
            Nodes = options.Nodes,
            Placement = DescribePlacement(options),
            CapacityAt100PairsMsgPerSec = f.OfCluster(f.Capacity)?.Median,
            SingleNodeCapacityAt100PairsMsgPerSec = f.Bems(f.Capacity)?.Median,
            CapacityRatioToSingleNode = f.ClusterRatio(f.Capacity)?.Median,
            HalfLoadRatePerSecond = f.OfCluster(r => f.HalfLoad(r)?.TargetRatePerSecond)?.Median,
            P99SendToDeliveredMsAtHalfLoad = f.OfCluster(HalfLoadP99)?.Median,
            SingleNodeP99SendToDeliveredMsAtHalfLoad = f.Bems(HalfLoadP99)?.Median,
            P99DeliveredRatioToSingleNode = f.ClusterRatio(HalfLoadP99)?.Median,
            LatencyValid = f.ClusterRounds.Any(r => r.OpenLoop.Count > 0) && f.ClusterRounds.All(r => r.OpenLoop.All(l => l.Valid)),
            IdleSessionCount = f.IdleSessionCount,
            IdleSessionKiB = f.OfCluster(f.IdleKiB)?.Median,
            SingleNodeIdleSessionKiB = f.Bems(f.IdleKiB)?.Median,
            IdleGcHeapKiB = f.OfCluster(f.IdleGcHeapKiB)?.Median,
            SingleNodeIdleGcHeapKiB = f.Bems(f.IdleGcHeapKiB)?.Median,
            ServerCpuUsPerMessageAt100Pairs = f.OfCluster(f.ServerCpuUs)?.Median,
            SingleNodeServerCpuUsPerMessageAt100Pairs = f.Bems(f.ServerCpuUs)?.Median,
            ServerCpuRatioToSingleNodeAt100Pairs = f.ClusterRatio(f.ServerCpuUs)?.Median,
            ServerCpuUsPerMessageAtHalfLoad = f.OfCluster(HalfLoadCpu)?.Median,
            SingleNodeServerCpuUsPerMessageAtHalfLoad = f.Bems(HalfLoadCpu)?.Median,
            ServerCpuRatioToSingleNodeAtHalfLoad = f.ClusterRatio(HalfLoadCpu)?.Median,
            ServerAllocatedBytesPerMessageAt100Pairs = f.OfCluster(Allocated)?.Median,
            SingleNodeServerAllocatedBytesPerMessageAt100Pairs = f.Bems(Allocated)?.Median,
            StartupMs = f.OfCluster(Figures.Startup)?.Median,
            Mismatches = f.ClusterRounds.Sum(r => r.Mismatches),
        };
    }

    public static string DescribePlacement(Options options) =>
        $"{options.Nodes} BemsServer processes in Orleans cluster mode (Localhost membership) on this machine; senders on node 1, which holds each tenant (its first connection), recipients on node {options.Nodes}; idle sessions alternate between the nodes";
}
