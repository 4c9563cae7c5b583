using BemsServer.Bench.Client;
using BemsServer.Bench.Hosting;

namespace BemsServer.Bench;

/// <summary>Everything measured for one target (R1 or BemsServer) in one round, on its fresh server process.</summary>
internal sealed class TargetRound(string target, int round)
{
    public string Target { get; } = target;
    public int Round { get; } = round;

    /// <summary>Process start to the first completed round trip (BemsServer: BeginSession COMPLETE; R1: an echo).</summary>
    public double? StartupMs { get; set; }

    public List<IdleStep> Idle { get; } = [];
    public List<CapacityRun> Capacity { get; } = [];

    /// <summary>The open-loop phases (half load, then light load), each at its offered rate.</summary>
    public List<LatencyRun> OpenLoop { get; } = [];

    /// <summary>Phases that failed outright (exception, server exit); each counts as a mismatch.</summary>
    public List<string> Failures { get; } = [];

    /// <summary>Phases whose counts disagreed or that saw errors, plus failures.</summary>
    public int Mismatches =>
        Failures.Count
        + Capacity.Count(c => !c.Counts.Ok || !c.Drained)
        + OpenLoop.Count(l => !l.Counts.Ok || !l.Drained);

    public CapacityRun? CapacityAt(int pairs) => Capacity.FirstOrDefault(c => c.Pairs == pairs);

    public LatencyRun? OpenLoopAt(double loadFraction) => OpenLoop.FirstOrDefault(l => l.LoadFraction == loadFraction);
}

/// <param name="Sessions">Idle sessions open (not counting the warm-up sessions of the baseline).</param>
/// <param name="OpenSeconds">Cumulative time spent opening them (connect + BeginSession COMPLETE).</param>
internal sealed record IdleStep(
    int Sessions,
    double OpenSeconds,
    long WorkingSetDeltaBytes,
    double KiBPerSession,
    long? GcHeapDeltaBytes,
    long? ServerReportedSessions);

internal sealed record CapacityRun(
    int Pairs,
    double MessagesPerSecond,
    long CompletedInWindow,
    double WindowSeconds,
    double MeanRoundTripMs,
    double ServerCpuPercent,
    double ServerCpuUsPerMessage,
    double? ServerAllocatedBytesPerMessage,
    double ClientCpuPercent,
    double ClientCpuUsPerMessage,
    double MachineBusyPercent,
    double MachineStealPercent,
    double SetupSeconds,
    bool Drained,
    LoadCounts Counts,
    Warmup Warmup);

/// <summary>
/// A closed loop's warm-up: its length, and whether the server's JIT had settled (no method compiled for
/// <see cref="Options.JitQuiet"/>) when it ended; null when the server does not report its JIT count.
/// </summary>
internal sealed record Warmup(double Seconds, bool? JitSettled, long? MethodsCompiled);

/// <summary>
/// The scale phase: <see cref="Sessions"/> signed-in sessions on one fresh BemsServer (single-node engine), memory per
/// session at each quarter, the time to open them, then open-loop latency with 1 % of them chatting in pairs.
/// </summary>
/// <param name="Requested">Sessions asked for (<c>--scale</c>).</param>
internal sealed class ScaleRun(int requested)
{
    public int Requested { get; } = requested;

    /// <summary>Sessions opened: <see cref="Requested"/>, or fewer when the open-file limit of a process does not fit them.</summary>
    public int Sessions { get; set; }

    /// <summary>Why <see cref="Sessions"/> is below <see cref="Requested"/> (null when it is not).</summary>
    public string? Limit { get; set; }

    public FileLimits? ClientFiles { get; set; }
    public FileLimits? ServerFiles { get; set; }

    /// <summary>Client source addresses (127.0.0.2, …) the sessions were spread over, round robin.</summary>
    public int SourceAddresses { get; set; }

    public double? StartupMs { get; set; }

    /// <summary>After each batch (and a settle pause): sessions open so far, cumulative open time, memory deltas from the baseline.</summary>
    public List<IdleStep> Steps { get; } = [];

    public IdleStep? Final => Steps.Count > 0 ? Steps[^1] : null;

    public double? SessionsPerSecond => Final is { OpenSeconds: > 0 } f ? f.Sessions / f.OpenSeconds : null;

    public double? GcHeapKiBPerSession => Final is { GcHeapDeltaBytes: { } bytes } f ? bytes / 1024.0 / f.Sessions : null;

    /// <summary>Sessions among the open ones that chat (1 %, in pairs), and the rate each pair sends at.</summary>
    public int ChattingSessions { get; set; }

    public double PairRatePerSecond { get; set; }

    public LatencyRun? Chat { get; set; }

    public List<string> Failures { get; } = [];

    public int Mismatches => Failures.Count + (Chat is { } c && (!c.Counts.Ok || !c.Drained) ? 1 : 0);
}

/// <summary>BemsServer.Testing's emulator started in this process, each start to its first BeginSession COMPLETE, then stopped.</summary>
/// <param name="StartMs">Call of StartAsync to the first BeginSession COMPLETE.</param>
/// <param name="StartAsyncMs">The part of it until StartAsync returned (the server listens).</param>
internal sealed record FixtureStartRun(IReadOnlyList<double> StartMs, IReadOnlyList<double> StartAsyncMs, IReadOnlyList<double> StopMs, string? Failure)
{
    /// <summary>The first start of the process: what the first test class pays (JIT, assembly loading).</summary>
    public double? FirstMs => StartMs.Count > 0 ? StartMs[0] : null;

    /// <summary>The later starts: what each further test class of the same run pays.</summary>
    public Spread? Later => Spread.Of(StartMs.Skip(1));

    public Spread? LaterStartAsync => Spread.Of(StartAsyncMs.Skip(1));

    public Spread? Stop => Spread.Of(StopMs);
}

internal sealed record Percentiles(double P50Ms, double P99Ms, double P999Ms, double MaxMs, long Count);

/// <param name="LoadFraction">The offered rate as a fraction of <paramref name="RateBasis"/>'s capacity in the same round.</param>
/// <param name="RateBasis">Whose capacity set the rate: "BemsServer" for both targets, unless BemsServer's capacity was not measured.</param>
/// <param name="MeasuredMessages">Messages sent in the CPU window (after the warm-up), the divisor of the per-message figures.</param>
internal sealed record LatencyRun(
    int Pairs,
    double LoadFraction,
    string RateBasis,
    double TargetRatePerSecond,
    double AchievedRatePerSecond,
    Percentiles SendToProcessing,
    Percentiles SendToComplete,
    Percentiles SendToDelivered,
    Percentiles ScheduleLag,
    bool SchedulerRealtime,
    bool Valid,
    string? InvalidReason,
    long MeasuredMessages,
    double ServerCpuPercent,
    double ServerCpuUsPerMessage,
    double ClientCpuPercent,
    double ClientCpuUsPerMessage,
    double MachineBusyPercent,
    double MachineStealPercent,
    bool Drained,
    LoadCounts Counts,
    int ClientGcCollections,
    double ClientGcPauseMs,
    OpenLoopWarmup Warmup);

/// <summary>
/// An open loop's warm-up: its length, whether the server's collector had settled (no collection of generation 1 or
/// older for <see cref="Options.GcQuiet"/>) and its JIT (no method compiled for <see cref="Options.JitQuiet"/>) when it
/// ended, with the counts of those collections and compilations during it; null when the server does not report the
/// count or the warm-up was fixed.
/// </summary>
internal sealed record OpenLoopWarmup(double Seconds, bool? GcSettled, long? Gen1Collections)
{
    public bool? JitSettled { get; init; }

    public long? MethodsCompiled { get; init; }
}

/// <summary>Median with its spread over the rounds.</summary>
internal sealed record Spread(double Median, double Min, double Max, int N)
{
    public static Spread? Of(IEnumerable<double> values)
    {
        var v = values.Where(double.IsFinite).Order().ToArray();
        if (v.Length == 0)
        {
            return null;
        }

        var median = v.Length % 2 == 1 ? v[v.Length / 2] : (v[(v.Length / 2) - 1] + v[v.Length / 2]) / 2;
        return new Spread(median, v[0], v[^1], v.Length);
    }
}
