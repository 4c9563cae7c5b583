using System.Globalization;
using BemsServer.Bench.Hosting;

namespace BemsServer.Bench;

/// <summary>Command line of the bench. Every phase is bounded in count and time.</summary>
internal sealed class Options
{
    public bool Quick { get; private set; }

    /// <summary>Client and servers on separate cores (default when the machine has two or more).</summary>
    public bool Pin { get; private set; } = true;
    public string? OutDir { get; private set; }
    public string? ServerDll { get; private set; }

    /// <summary>Measure the Release build (compiled at run time) rather than the tool's ReadyToRun build.</summary>
    public bool PlainBuild { get; private set; }
    public int Rounds { get; private set; } = 3;
    /// <summary>The targets in the order they run within a round: BemsServer first, since its capacity sets the open-loop rates of both.</summary>
    public IReadOnlyList<TargetKind> Targets { get; private set; } = [TargetKind.Bems, TargetKind.R1];
    public IReadOnlyList<int> PairCounts { get; private set; } = [1, 10, 100, 1000];
    public IReadOnlyList<int> SessionCounts { get; private set; } = [1000, 5000, 10000];

    /// <summary>Pair count of the open-loop latency phase and of the headline capacity ratio.</summary>
    public int LatencyPairs { get; private set; } = 100;

    /// <summary>
    /// Rate of the "half load" open-loop phase, as a fraction of BemsServer's capacity at
    /// <see cref="LatencyPairs"/> in the same round (R1 is driven at the same rate).
    /// </summary>
    public double LoadFraction { get; private set; } = 0.5;

    /// <summary>Rate of the "light load" open-loop phase, as a fraction of the same capacity.</summary>
    public double LightLoadFraction { get; private set; } = 0.1;

    /// <summary>
    /// A rate (msg/s) the open-loop fractions are taken of instead of BemsServer's capacity in the round (<c>--rate-basis</c>):
    /// every run then drives both targets at the same rates, whatever its closed loops measured. Null: the round's capacity.
    /// </summary>
    public double? RateBasis { get; private set; }

    /// <summary>A folder for each open loop's per-message times (<c>--timeline</c>), one CSV per phase; null: none written.</summary>
    public string? TimelineDir { get; private set; }

    /// <summary>The open-loop phases of every round, in the order they run.</summary>
    public IReadOnlyList<double> LoadFractions => [LoadFraction, LightLoadFraction];

    /// <summary>
    /// 2: every round also runs the cluster target (<see cref="ClusterName"/>): two BemsServer processes in
    /// Orleans cluster mode, senders on node 1 and recipients on node 2. 1 (the default): no cluster target.
    /// </summary>
    public int Nodes { get; private set; } = 1;

    /// <summary>The cluster target's name in the reports.</summary>
    public string ClusterName => $"BemsServer×{Nodes}";

    /// <summary>Extra environment variables for the BemsServer process (runtime settings to compare).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ServerEnvironment { get; private set; } = [];

    public TimeSpan Warmup { get; private set; } = TimeSpan.FromSeconds(2);
    public TimeSpan Measure { get; private set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a closed loop's warm-up may go on past <see cref="Warmup"/> while the server's JIT still compiles
    /// (tiering replacing start-up code with optimized code); zero: the fixed warm-up only.
    /// </summary>
    public TimeSpan WarmupLimit { get; private set; } = TimeSpan.FromSeconds(90);

    /// <summary>The JIT has settled when its count of compiled methods has not moved for this long.</summary>
    public TimeSpan JitQuiet { get; private set; } = TimeSpan.FromSeconds(5);
    public TimeSpan LatencyWarmup { get; private set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long an open loop's warm-up may go on past <see cref="LatencyWarmup"/> while the server's collector still
    /// collects generation 1 or older (promoting what the phase's fresh sessions, chats and logs made long-lived), or its
    /// JIT still compiles (tiering replacing the code the open load runs that the closed loops did not): at most
    /// 10 s, and no longer than <see cref="WarmupLimit"/> (so <c>--warmup-limit 0</c> keeps every warm-up fixed).
    /// </summary>
    public TimeSpan LatencyWarmupLimit => WarmupLimit < TimeSpan.FromSeconds(10) ? WarmupLimit : TimeSpan.FromSeconds(10);

    /// <summary>The collector has settled when no collection of generation 1 or older has happened for this long.</summary>
    public TimeSpan GcQuiet { get; private set; } = TimeSpan.FromSeconds(2);
    public TimeSpan LatencyMeasure { get; private set; } = TimeSpan.FromSeconds(10);

    /// <summary>Pause before reading the working set after opening idle sessions.</summary>
    public TimeSpan Settle { get; private set; } = TimeSpan.FromSeconds(1.5);

    /// <summary>Sessions opened (and kept) before the idle-memory baseline, so one-time costs are not counted.</summary>
    public int WarmupSessions { get; private set; } = 50;

    public int ConnectConcurrency { get; private set; } = 64;

    /// <summary>
    /// Sessions of the scale phase (<c>--scale</c>, 100,000 when given without a number; quick: 200): all signed in to
    /// one fresh BemsServer, 1 % of them chatting. Null: no scale phase.
    /// </summary>
    public int? ScaleSessions { get; private set; }

    /// <summary>Messages per second each chatting pair of the scale phase sends (open loop).</summary>
    public double ScalePairRate { get; private set; } = 5;

    /// <summary>In-process fixture starts (<c>--fixture-start</c>, 10 when given without a number). Null: not measured.</summary>
    public int? FixtureStarts { get; private set; }

    /// <summary>
    /// <c>--scale</c> or <c>--fixture-start</c> without <c>--quick</c>: the run measures only those, not the rounds.
    /// </summary>
    public bool ScaleOnly => !Quick && (ScaleSessions is not null || FixtureStarts is not null);

    public TimeSpan RequestTimeout { get; private set; } = TimeSpan.FromSeconds(15);
    public TimeSpan StartupTimeout { get; private set; } = TimeSpan.FromSeconds(30);

    /// <summary>Hard limit for the whole run; the bench stops itself (non-zero) past it.</summary>
    public TimeSpan RunTimeout { get; private set; } = TimeSpan.FromMinutes(30);

    public bool R1Server { get; private set; }

    /// <summary>This process is the keep-awake spinner (<see cref="Hosting.KeepAwake"/>), started by the bench.</summary>
    public bool KeepAwakeProcess { get; private set; }

    /// <summary>Keep the client's cores from halting during the open loops (default, when pinned).</summary>
    public bool KeepAwake { get; private set; } = true;

    /// <summary>Move the kernel's movable threads off the servers' CPUs for the run (default when pinned, not in quick runs).</summary>
    public bool Isolate { get; private set; } = true;
    public int Port { get; private set; }
    public int? ParentPid { get; private set; }
    public bool Help { get; private set; }

    public const string Usage = """
        BemsServer benchmark: R1 (bare Kestrel WebSocket echo, the limit) vs BemsServer, phase by phase.

        usage: dotnet run -c Release --project bench/BemsServer.Bench -- [options]

          --quick              smoke-test sizes, one round (CI): checks correctness, never timings
          --out DIR            output folder (default: bench-results/<timestamp>/)
          --rounds N           rounds, each phase run on BemsServer then R1 (default 3, minimum 3; quick 1)
          --targets LIST       r1,bems (default both)
          --pairs LIST         closed-loop pair counts (default 1,10,100,1000; quick 1,10,100)
          --sessions LIST      idle session counts (default 1000,5000,10000; quick 100,500)
          --warmup-limit S     a closed loop warms up for 2 s, then on while the server's JIT still compiles (no method
                               compiled for 5 s: settled), for at most S more seconds (default 90; quick 0: 2 s only);
                               an open loop for 2 s, then on while the server's collector still collects gen1 or older
                               (none for 2 s: settled), for at most 10 s more, and never more than S
          --load-fraction F    "half load" open-loop rate, fraction of BemsServer's capacity (default 0.5)
          --light-load-fraction F  "light load" open-loop rate, same basis (default 0.1)
          --rate-basis R       take the open-loop fractions of R msg/s instead of BemsServer's capacity in the round, so
                               runs can be compared at one rate (the summary's same-rate ratios are then left out)
          --timeline DIR       write each open loop's per-message times into DIR, one CSV per phase: intended send time,
                               send→PROCESSING, send→COMPLETE, send→delivered and the send's lag, in µs (-1: never came)
          --nodes 2            also run, in every round, the cluster target BemsServer×2: two BemsServer
                               processes (Bems:Cluster:Mode=Orleans), senders on node 1, recipients on node 2;
                               capacity, p99 at the same half-load rate, idle memory and CPU per message summed
                               over both processes, reported side by side with the single node (needs bems)
          --server-env NAME=VALUE  environment variable for the BemsServer process (repeatable; both nodes)
          --server-dll PATH    server dll (default: the bems-server tool's build, published from this checkout as the
                               tool package has it: ReadyToRun for this machine's platform, into the output folder;
                               --quick and --plain-build take src/BemsServer/bin/Release/net10.0/BemsServer.dll)
          --plain-build        measure the Release build, compiled at run time, not the tool's ReadyToRun build
          --scale [N]          instead of the rounds: sign N sessions in to one fresh BemsServer (default 100000; fitted
                               to the open-file limit, which the report names), memory per session and time to open
                               them, then p99 send→delivered with 1 % of them chatting; quick runs it with 200 sessions
          --scale-rate R       messages per second per chatting pair of the scale phase (default 5)
          --fixture-start [N]  instead of the rounds: start BemsServer.Testing's emulator in this process N times
                               (default 10), each to its first BeginSession COMPLETE; can be combined with --scale
          --no-pin             do not pin: by default (Linux, 2+ cores, taskset) the load client runs on the first
                               half of the CPUs and every server process (BemsServer and R1) on the second half
          --no-keep-awake      let the client's cores halt when idle during the open loops: by default, when pinned,
                               a spinner at idle priority keeps them running (see bench/README.md)
          --no-isolate         leave the kernel's own threads where they are: by default, when pinned (not --quick),
                               those that may run on any CPU (kdamond, kcompactd, …) move to the client's CPUs for the run
          --help

        Exit code: 0 ok; 1 correctness failure (mismatched counts, errors, a server that failed); 2 bad usage.
        """;

    public static Options Parse(string[] args)
    {
        var o = new Options();
        var quick = args.Contains("--quick");
        if (quick)
        {
            o.ApplyQuick();
        }

        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            int OptionalCount(int fallback)
            {
                if (i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0)
                {
                    i++;
                    return n;
                }

                return fallback;
            }

            switch (args[i])
            {
                case "--quick":
                    break;
                case "--no-pin":
                    o.Pin = false;
                    break;
                case "--plain-build":
                    o.PlainBuild = true;
                    break;
                case "--out":
                    o.OutDir = Next();
                    break;
                case "--rounds":
                    o.Rounds = Math.Max(quick ? 1 : 3, ParseInt(Next()));
                    break;
                case "--targets":
                    o.Targets = [.. Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(ParseTarget).Distinct().OrderByDescending(t => t == TargetKind.Bems)];
                    break;
                case "--pairs":
                    o.PairCounts = ParseList(Next());
                    break;
                case "--sessions":
                    o.SessionCounts = ParseList(Next());
                    break;
                case "--warmup-limit":
                    o.WarmupLimit = TimeSpan.FromSeconds(Math.Clamp(double.Parse(Next(), NumberStyles.Float, CultureInfo.InvariantCulture), 0, 600));
                    break;
                case "--load-fraction":
                    o.LoadFraction = ParseFraction(Next());
                    break;
                case "--light-load-fraction":
                    o.LightLoadFraction = ParseFraction(Next());
                    break;
                case "--rate-basis":
                    o.RateBasis = double.Parse(Next(), NumberStyles.Float, CultureInfo.InvariantCulture) is > 0 and < 10_000_000 and var basis
                        ? basis : throw new ArgumentException("--rate-basis takes a rate in messages per second.");
                    break;
                case "--timeline":
                    o.TimelineDir = Next();
                    break;
                case "--nodes":
                    o.Nodes = ParseInt(Next()) is var n and (1 or 2) ? n : throw new ArgumentException("--nodes takes 1 or 2.");
                    break;
                case "--server-env":
                    o.ServerEnvironment = [.. o.ServerEnvironment, ParseVariable(Next())];
                    break;
                case "--scale":
                    o.ScaleSessions = OptionalCount(100_000);
                    break;
                case "--scale-rate":
                    o.ScalePairRate = Math.Clamp(double.Parse(Next(), NumberStyles.Float, CultureInfo.InvariantCulture), 0.1, 1000);
                    break;
                case "--fixture-start":
                    o.FixtureStarts = OptionalCount(10);
                    break;
                case "--server-dll":
                    o.ServerDll = Next();
                    break;
                case "--r1-server":
                    o.R1Server = true;
                    break;
                case "--keep-awake":
                    o.KeepAwakeProcess = true;
                    break;
                case "--no-keep-awake":
                    o.KeepAwake = false;
                    break;
                case "--no-isolate":
                    o.Isolate = false;
                    break;
                case "--port":
                    o.Port = ParseInt(Next());
                    break;
                case "--parent-pid":
                    o.ParentPid = ParseInt(Next());
                    break;
                case "--help" or "-h":
                    o.Help = true;
                    break;
                default:
                    throw new ArgumentException($"Unknown option {args[i]}.");
            }
        }

        if (!o.PairCounts.Contains(o.LatencyPairs))
        {
            o.PairCounts = [.. o.PairCounts.Append(o.LatencyPairs).Order()];
        }

        if (o.Targets.Count == 0)
        {
            throw new ArgumentException("--targets needs r1, bems or both.");
        }

        if (o.Nodes > 1 && !o.Targets.Contains(TargetKind.Bems))
        {
            throw new ArgumentException("--nodes 2 compares the cluster with the single BemsServer: --targets must include bems.");
        }

        if (o.Nodes > 1)
        {
            o.RunTimeout *= 2; // a third target, whose closed loops wait for two processes' JIT: as long again at most
        }

        return o;
    }

    private void ApplyQuick()
    {
        Quick = true;
        Rounds = 1;
        PairCounts = [1, 10, 100];
        SessionCounts = [100, 500];
        ScaleSessions = 200;
        Warmup = TimeSpan.FromSeconds(0.25);
        Measure = TimeSpan.FromSeconds(0.5);
        WarmupLimit = TimeSpan.Zero;
        LatencyWarmup = TimeSpan.FromSeconds(0.25);
        LatencyMeasure = TimeSpan.FromSeconds(1.0);
        Settle = TimeSpan.FromSeconds(0.2);
        WarmupSessions = 20;
        RequestTimeout = TimeSpan.FromSeconds(10);
        RunTimeout = TimeSpan.FromMinutes(5);
        Isolate = false; // counts, not timings: the machine's kernel threads are left alone
    }

    private static double ParseFraction(string s) =>
        Math.Clamp(double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture), 0.01, 2.0);

    private static KeyValuePair<string, string> ParseVariable(string s)
    {
        var eq = s.IndexOf('=', StringComparison.Ordinal);
        return eq > 0
            ? new(s[..eq], s[(eq + 1)..])
            : throw new ArgumentException($"--server-env needs NAME=VALUE, not {s}.");
    }

    private static int ParseInt(string s) => int.Parse(s, NumberStyles.Integer, CultureInfo.InvariantCulture);

    private static int[] ParseList(string s)
    {
        var list = s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(ParseInt).Where(n => n > 0).Distinct().Order().ToArray();
        return list.Length > 0 ? list : throw new ArgumentException($"Empty list: {s}");
    }

    private static TargetKind ParseTarget(string s) => s.ToUpperInvariant() switch
    {
        "R1" => TargetKind.R1,
        "BEMS" or "BEMSSERVER" => TargetKind.Bems,
        _ => throw new ArgumentException($"Unknown target {s} (r1, bems)."),
    };
}
