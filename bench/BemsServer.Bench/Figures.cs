namespace BemsServer.Bench;

/// <summary>
/// The figures of a run across its rounds: medians per target, and BemsServer ÷ R1 ratios taken
/// within each round (the servers of one round share the machine's state of the moment).
/// </summary>
internal sealed class Figures(Options options, IReadOnlyList<TargetRound> rounds)
{
    public const string R1 = "R1";
    public const string BemsServer = "BemsServer";

    public IReadOnlyList<TargetRound> Rounds { get; } = rounds;

    public List<TargetRound> R1Rounds { get; } = [.. rounds.Where(r => r.Target == R1)];

    public List<TargetRound> BemsRounds { get; } = [.. rounds.Where(r => r.Target == BemsServer)];

    /// <summary>The cluster target's rounds (--nodes 2); empty without it.</summary>
    public List<TargetRound> ClusterRounds { get; } = [.. rounds.Where(r => r.Target == options.ClusterName)];

    /// <summary>The largest idle-session count BemsServer reached (null when none was measured).</summary>
    public int? IdleSessionCount => BemsRounds.SelectMany(r => r.Idle).Select(s => (int?)s.Sessions).Max();

    public Spread? Bems(Func<TargetRound, double?> value) => Of(BemsRounds, value);

    public Spread? OfR1(Func<TargetRound, double?> value) => Of(R1Rounds, value);

    public Spread? OfCluster(Func<TargetRound, double?> value) => Of(ClusterRounds, value);

    public static Spread? Of(IEnumerable<TargetRound> list, Func<TargetRound, double?> value) =>
        Spread.Of(list.Select(r => value(r) ?? double.NaN));

    /// <summary>Median of the per-round BemsServer ÷ R1 ratios of one figure.</summary>
    public Spread? Ratio(Func<TargetRound, double?> value) => Spread.Of(RoundRatios(BemsServer, R1, value));

    /// <summary>Median of the per-round cluster ÷ single BemsServer ratios of one figure.</summary>
    public Spread? ClusterRatio(Func<TargetRound, double?> value) => Spread.Of(RoundRatios(options.ClusterName, BemsServer, value));

    private IEnumerable<double> RoundRatios(string over, string under, Func<TargetRound, double?> value)
    {
        foreach (var group in Rounds.GroupBy(r => r.Round))
        {
            var denominator = group.FirstOrDefault(r => r.Target == under);
            var numerator = group.FirstOrDefault(r => r.Target == over);
            if (denominator is not null && numerator is not null && value(denominator) is { } a && value(numerator) is { } b && a > 0)
            {
                yield return b / a;
            }
        }
    }

    // The figures the summary and the targets are made of.
    public CapacityRun? Headline(TargetRound r) => r.CapacityAt(options.LatencyPairs);

    public double? Capacity(TargetRound r) => Headline(r)?.MessagesPerSecond;

    public double? ServerCpuUs(TargetRound r) => Headline(r)?.ServerCpuUsPerMessage;

    /// <summary>An open-loop phase, when its rate was set by BemsServer's capacity (so the same for both targets).</summary>
    public static LatencyRun? AtSameRate(TargetRound r, double fraction) =>
        r.OpenLoopAt(fraction) is { RateBasis: BemsServer } run ? run : null;

    public LatencyRun? HalfLoad(TargetRound r) => AtSameRate(r, options.LoadFraction);

    public LatencyRun? LightLoad(TargetRound r) => AtSameRate(r, options.LightLoadFraction);

    public double? IdleKiB(TargetRound r) => r.Idle.FirstOrDefault(s => s.Sessions == IdleSessionCount)?.KiBPerSession;

    /// <summary>GC heap per idle session at <see cref="IdleSessionCount"/> (null when the server does not report its heap).</summary>
    public double? IdleGcHeapKiB(TargetRound r) =>
        r.Idle.FirstOrDefault(s => s.Sessions == IdleSessionCount) is { GcHeapDeltaBytes: { } bytes } s ? bytes / 1024.0 / s.Sessions : null;

    public static double? Startup(TargetRound r) => r.StartupMs;
}
