using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Net.WebSockets;
using BemsServer.Bench.Client;
using BemsServer.Bench.Hosting;

namespace BemsServer.Bench;

/// <summary>Runs the phases of a round against fresh server processes.</summary>
internal sealed partial class Runner(Options options, Locations locations, HttpClient http, SessionFactory factory, Action<string> log)
{
    /// <summary>The spinner that keeps the client's cores from halting during the open loops, if any.</summary>
    public KeepAwake? Awake { get; set; }

    /// <summary>Servers alive right now, so an abort (watchdog, Ctrl+C) can kill them.</summary>
    public static readonly HashSet<ServerProcess> Live = [];

    public IReadOnlyList<int> SessionCounts { get; set; } = options.SessionCounts;

    /// <summary>One target's part of a round: its fresh server processes and what has been measured on them.</summary>
    private sealed class Entrant(TargetKind kind, string name, int round)
    {
        public bool Bems { get; } = kind == TargetKind.Bems;
        public TargetRound Result { get; } = new(name, round);
        public ServerSet Server { get; } = new(kind);

        /// <summary>The round is over for this target (a phase failed, or the round ended): its processes are stopped.</summary>
        public bool Stopped { get; set; }

        /// <summary>What its open-loop rates are fractions of, once its closed loops have run (null: none, phases skipped).</summary>
        public (double Capacity, string Name)? Basis { get; set; }
    }

    /// <summary>
    /// One round of <paramref name="kinds"/> (BemsServer and R1 on one node each, or the cluster alone), each on fresh
    /// processes started in turn and kept for the round. The phases go in order, and each phase runs on every target
    /// back to back (BemsServer's 100 pairs, then R1's 100 pairs, then the next phase), so the figures a ratio compares
    /// are apart by the second target's set-up and warm-up only, not by a whole target's phases: on a shared machine
    /// whose speed drifts over minutes, that drift otherwise lands in the ratio. The target not being measured is idle.
    /// </summary>
    /// <param name="nodes">1: one server process per target; 2 (BemsServer only): the cluster target, two nodes in Orleans cluster mode.</param>
    /// <param name="bemsCapacity">
    /// BemsServer's capacity at <see cref="Options.LatencyPairs"/> earlier in the same round, when BemsServer is not
    /// among <paramref name="kinds"/>: the basis of the open-loop rates, so all targets are driven at the same rates
    /// (null: the target's own capacity).
    /// </param>
    public async Task<IReadOnlyList<TargetRound>> RunRoundAsync(IReadOnlyList<TargetKind> kinds, int nodes, int round, double? bemsCapacity)
    {
        var entrants = kinds.Select(k => new Entrant(k, nodes > 1 ? options.ClusterName : Name(k), round)).ToList();
        try
        {
            await EachAsync(entrants, async e =>
            {
                e.Result.StartupMs = await StartAsync(e.Server, nodes, round, e.Bems);
                log($"  {e.Result.Target} r{round}: start-up {e.Result.StartupMs:F0} ms ({e.Server.Describe()})");
            });
            await EachAsync(entrants, e => MeasureIdleSessionsAsync(e.Server, e.Bems, round, e.Result));
            foreach (var pairs in options.PairCounts)
            {
                await EachAsync(entrants, async e =>
                {
                    var run = await RunClosedLoopAsync(e.Server, e.Bems, round, pairs);
                    e.Result.Capacity.Add(run);
                    log($"  {e.Result.Target} r{round}: {pairs,5} pairs {run.MessagesPerSecond,9:F0} msg/s  server {run.ServerCpuUsPerMessage,6:F1} µs/msg {Bytes(run.ServerAllocatedBytesPerMessage)}  server/client/machine CPU {run.ServerCpuPercent:F0}/{run.ClientCpuPercent:F0}/{run.MachineBusyPercent:F0}%  warm-up {Describe(run.Warmup)}{Mismatch(run.Counts, run.Drained)}");
                });
            }

            // The cluster's round is given the single node's capacity, and is driven at its rates (its own entrant is "Bems" too).
            var bemsHere = bemsCapacity ?? entrants.FirstOrDefault(e => e.Bems)?.Result.CapacityAt(options.LatencyPairs)?.MessagesPerSecond;
            // The rates' basis once per target (a target without one records one failure and skips these phases).
            foreach (var e in entrants.Where(e => !e.Stopped)) e.Basis = OpenLoopBasis(e.Result, bemsHere);
            var open = entrants.Where(e => e.Basis is not null).ToList();
            foreach (var fraction in options.LoadFractions)
            {
                await EachAsync(open, e => RunOpenLoopPhaseAsync(e.Server, e.Bems, round, fraction, e.Basis!.Value, e.Result));
            }
        }
        finally
        {
            foreach (var e in entrants) Stop(e);
        }

        return [.. entrants.Select(e => e.Result)];
    }

    /// <summary>Runs a phase on each target still in the round; a failure ends that target's round, not the others'.</summary>
    private async Task EachAsync(List<Entrant> entrants, Func<Entrant, Task> phase)
    {
        foreach (var e in entrants.Where(e => !e.Stopped))
        {
            try
            {
                await phase(e);
                EnsureAlive(e.Server);
            }
#pragma warning disable CA1031 // A failed phase is recorded as a failure of the run (non-zero exit), not a crash.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                e.Result.Failures.Add(Failed(ex, e.Server, $"{e.Result.Target} r{e.Result.Round}"));
                Stop(e);
            }
        }
    }

    private static void Stop(Entrant e)
    {
        if (e.Stopped) return;
        e.Stopped = true;
        e.Server.Dispose();
        Forget(e.Server);
    }

    /// <summary>Logs a failed phase and describes it, with the server's last output, for the report.</summary>
    private string Failed(Exception ex, ServerSet server, string phase)
    {
        log($"  {phase}: FAILED {ex.GetType().Name}: {ex.Message}");
        var output = server.RecentOutput();
        return $"{ex.GetType().Name}: {ex.Message}" + (output.Length > 0 ? Environment.NewLine + "server output:" + Environment.NewLine + output : "");
    }

    /// <summary>The servers are stopped (or about to be): an abort no longer needs to kill them.</summary>
    private static void Forget(ServerSet server)
    {
        lock (Live)
        {
            Live.ExceptWith(server.Processes);
        }
    }

    public static string Name(TargetKind kind) => kind == TargetKind.Bems ? "BemsServer" : "R1";

    /// <summary>
    /// Starts the target's processes and returns its start-up time. A cluster starts node 1 (the primary silo),
    /// waits for its first round trip, then starts node 2 naming it: its start-up runs from node 1's start to
    /// node 2's first round trip.
    /// </summary>
    private async Task<double> StartAsync(ServerSet server, int nodes, int round, bool bems)
    {
        var clusterId = string.Create(CultureInfo.InvariantCulture, $"bench-{Environment.ProcessId}-r{round}");
        int? primarySilo = null;
        for (var node = 1; node <= nodes; node++)
        {
            IEnumerable<KeyValuePair<string, string>> environment = options.ServerEnvironment;
            if (nodes > 1)
            {
                var silo = ServerProcess.FreePort();
                environment = [.. environment, .. ClusterEnvironment(clusterId, silo, primarySilo)];
                primarySilo ??= silo;
            }

            var process = ServerProcess.Start(server.Kind, locations, http, environment);
            server.Add(process);
            lock (Live)
            {
                Live.Add(process);
            }

            await MeasureStartupAsync(process, bems);
        }

        return Stopwatch.GetElapsedTime(server.First.StartTimestamp).TotalMilliseconds;
    }

    /// <summary>The settings of one cluster node; <paramref name="primarySilo"/> is null on the first node.</summary>
    private static KeyValuePair<string, string>[] ClusterEnvironment(string clusterId, int siloPort, int? primarySilo)
    {
        static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);
        KeyValuePair<string, string>[] settings =
        [
            new("Bems__Cluster__Mode", "Orleans"),
            new("Bems__Cluster__Membership", "Localhost"),
            new("Bems__Cluster__ClusterId", clusterId),
            new("Bems__Cluster__SiloPort", Port(siloPort)),
            new("Bems__Cluster__GatewayPort", Port(ServerProcess.FreePort())),
        ];
        return primarySilo is { } primary
            ? [.. settings, new("Bems__Cluster__PrimarySiloEndpoint", $"127.0.0.1:{Port(primary)}")]
            : settings;
    }

    private static void EnsureAlive(ServerSet server)
    {
        foreach (var process in server.Processes)
        {
            EnsureAlive(process);
        }
    }

    private static void EnsureAlive(ServerProcess server)
    {
        if (server.HasExited)
        {
            throw new InvalidOperationException($"The server process exited (code {server.Process.ExitCode}).");
        }
    }

    /// <summary>5. Process start to the first completed round trip, retrying the connection until the port listens.</summary>
    private async Task<double> MeasureStartupAsync(ServerProcess server, bool bems)
    {
        var uri = new Uri($"ws://127.0.0.1:{server.Port}/");
        var deadline = server.StartTimestamp + (long)(options.StartupTimeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            EnsureAlive(server);
            WsConn? conn = null;
            try
            {
                conn = await factory.OpenAsync(uri, "startup@example.com", signIn: bems);
                if (!bems)
                {
                    conn.Echo = true;
                    await factory.RequestAsync(conn, id => Requests.BeginSession(id, "startup@example.com"));
                }

                return Stopwatch.GetElapsedTime(server.StartTimestamp).TotalMilliseconds;
            }
            catch (Exception ex) when (IsNotListeningYet(ex) && Stopwatch.GetTimestamp() < deadline)
            {
                await Task.Delay(2);
            }
            finally
            {
                conn?.Dispose();
            }
        }
    }

    private static bool IsNotListeningYet(Exception ex) =>
        ex is WebSocketException or HttpRequestException or SocketException
        || (ex.InnerException is { } inner && IsNotListeningYet(inner));

    /// <summary>4. Working set per idle signed-in session (R1: per idle connected socket).</summary>
    /// A cluster's sessions alternate between its nodes, and the figures are the sums over its processes.
    private async Task MeasureIdleSessionsAsync(ServerSet server, bool bems, int round, TargetRound result)
    {
        var tenant = $"bench-r{round}-idle";
        Uri UriOf(int i) => server.IdleUri(tenant, i);
        var conns = new List<WsConn>();
        try
        {
            using (await PlaceTenantAsync(server, tenant))
            {
                conns.AddRange(await factory.OpenManyAsync(UriOf, 0, options.WarmupSessions, i => $"w{i}@example.com", bems));
            }

            await Task.Delay(options.Settle);
            var baseline = await server.SampleAsync();
            var opened = 0;
            var openTicks = 0L;
            foreach (var n in SessionCounts)
            {
                var t = Stopwatch.GetTimestamp();
                conns.AddRange(await factory.OpenManyAsync(UriOf, opened, n - opened, i => $"u{i}@example.com", bems));
                openTicks += Stopwatch.GetTimestamp() - t;
                opened = n;
                await Task.Delay(options.Settle);
                var sample = await server.SampleAsync();
                var delta = sample.WorkingSetBytes - baseline.WorkingSetBytes;
                var step = new IdleStep(
                    n,
                    (double)openTicks / Stopwatch.Frequency,
                    delta,
                    delta / 1024.0 / n,
                    sample.GcHeapBytes - baseline.GcHeapBytes,
                    sample.Sessions);
                result.Idle.Add(step);
                log($"  {result.Target} r{round}: {n,6} idle {(bems ? "sessions" : "sockets")} {step.KiBPerSession,6:F1} KiB each, opened in {step.OpenSeconds:F2} s{(step.ServerReportedSessions is { } s ? $", server reports {s} sessions" : "")}");
                EnsureAlive(server);
            }
        }
        finally
        {
            SessionFactory.DisposeAll(conns);
        }

        await Task.Delay(options.Settle);
    }

    /// <summary>1 + 3. Closed loop, one SendMessage in flight per pair: throughput and server cost per message.</summary>
    private async Task<CapacityRun> RunClosedLoopAsync(ServerSet server, bool bems, int round, int pairCount)
    {
        var setupStart = Stopwatch.GetTimestamp();
        var pairs = await OpenPairsAsync(server, $"bench-r{round}-p{pairCount}", pairCount, bems);
        var setupSeconds = Stopwatch.GetElapsedTime(setupStart).TotalSeconds;
        try
        {
            var sink = new ClosedLoopSink(pairs, bems);
            sink.Start();
            var warmup = await WarmUpAsync(server);

            var from = await Usage.StartAsync(server);
            var c0 = sink.Completed;
            var l0 = sink.LatencyTicks;

            await Task.Delay(options.Measure);

            var c1 = sink.Completed;
            var l1 = sink.LatencyTicks;
            var usage = new UsageWindow(from, await Usage.EndAsync(server));

            var drained = await sink.StopAndDrainAsync(options.RequestTimeout);
            var completed = c1 - c0;
            return new CapacityRun(
                pairCount,
                completed / usage.Seconds,
                completed,
                usage.Seconds,
                completed > 0 ? (double)(l1 - l0) / completed * 1000 / Stopwatch.Frequency : double.NaN,
                usage.ServerCpuPercent,
                usage.ServerCpuUsPer(completed),
                usage.AllocatedBytesPer(completed),
                usage.ClientCpuPercent,
                usage.ClientCpuUsPer(completed),
                usage.MachineBusyPercent,
                usage.MachineStealPercent,
                setupSeconds,
                drained,
                sink.Counts,
                warmup);
        }
        finally
        {
            SessionFactory.DisposeAll(pairs);
        }
    }

    /// <summary>
    /// The fixed warm-up, then on while the server's JIT still compiles, up to <see cref="Options.WarmupLimit"/>. Tiering
    /// replaces a method's start-up code (ReadyToRun or quickly jitted, then instrumented for profile-guided optimization)
    /// only after a delay with no new start-up compilation, and .NET makes that delay ten times longer (1 s) on a process
    /// with one core, as the pinned servers are: BemsServer's first load phases ran on start-up code for 50–60 s while R1's
    /// few methods were optimized within its fixed warm-up. CPU per message is a steady-state figure, so each target is
    /// measured once it runs its optimized code; how long that took is reported beside it.
    /// </summary>
    private async Task<Warmup> WarmUpAsync(ServerSet server)
    {
        var start = Stopwatch.GetTimestamp();
        var jit = options.WarmupLimit > TimeSpan.Zero && (await server.SampleAsync()).JitCompiledMethods is { } first
            ? new QuietCount(static s => s.JitCompiledMethods, first, options.JitQuiet) : null;
        await Task.Delay(options.Warmup);
        if (jit is null)
        {
            return new Warmup(Stopwatch.GetElapsedTime(start).TotalSeconds, null, null);
        }

        jit.See(await server.SampleAsync());
        jit.QuietFrom(Stopwatch.GetTimestamp()); // the fixed part is not counted as quiet
        var settled = await UntilQuietAsync(server, [jit], start, options.Warmup + options.WarmupLimit);
        return new Warmup(Stopwatch.GetElapsedTime(start).TotalSeconds, settled, jit.Moved);
    }

    /// <summary>
    /// Samples the server every 250 ms until none of <paramref name="counts"/> has moved for its quiet time, until
    /// <paramref name="limit"/> has passed since <paramref name="start"/>, or until <paramref name="stop"/> has ended;
    /// returns whether all settled. The warm-ups' one waiting rule: the JIT's for the closed loops, the JIT's and the
    /// collector's for the open loops.
    /// </summary>
    private static async Task<bool> UntilQuietAsync(ServerSet server, QuietCount[] counts, long start, TimeSpan limit, Task? stop = null)
    {
        while (!counts.All(c => c.IsQuiet) && Stopwatch.GetElapsedTime(start) < limit && stop?.IsCompleted != true)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(250));
            var sample = await server.SampleAsync();
            foreach (var count in counts)
            {
                count.See(sample);
            }
        }

        return counts.All(c => c.IsQuiet);
    }

    /// <summary>
    /// A count the server reports (methods compiled, collections), quiet once it has not moved for <paramref name="quiet"/>.
    /// A sample without the count (the route timed out on a busy machine, so it fell back to /proc) counts as no change.
    /// </summary>
    private sealed class QuietCount(Func<ProcessSample, long?> count, long first, TimeSpan quiet)
    {
        private readonly long _first = first;
        private long _last = first;
        private long _quietSince = Stopwatch.GetTimestamp();

        /// <summary>How far the count moved since the first sample.</summary>
        public long Moved => _last - _first;

        public bool IsQuiet => Stopwatch.GetElapsedTime(_quietSince) >= quiet;

        /// <summary>A count that moved is quiet from now; one that did not stays as it was.</summary>
        public void See(ProcessSample sample)
        {
            if (count(sample) is { } now && now != _last)
            {
                (_last, _quietSince) = (now, Stopwatch.GetTimestamp());
            }
        }

        /// <summary>Quiet from <paramref name="since"/> (the closed loop's fixed part does not count as quiet).</summary>
        public void QuietFrom(long since) => _quietSince = since;
    }

    /// <summary>Pairs of a fresh tenant: senders on the first node, recipients on the last (the same node when there is one).</summary>
    private async Task<Pair[]> OpenPairsAsync(ServerSet server, string tenant, int pairCount, bool bems)
    {
        using (await PlaceTenantAsync(server, tenant))
        {
            return await factory.OpenPairsAsync(server.SenderUri(tenant), server.RecipientUri(tenant), pairCount, bems);
        }
    }

    /// <summary>
    /// Cluster: a tenant's state lives on the node of its first connection, so a connection to node 1 (not signed in)
    /// goes first and is closed once the phase's sessions are open. With the senders next to the tenant, a
    /// SendMessage crosses to node 2 once, for its delivery. Null on one node.
    /// </summary>
    private async Task<WsConn?> PlaceTenantAsync(ServerSet server, string tenant) =>
        server.IsCluster ? await factory.OpenAsync(server.First.TenantUri(tenant), "placement@example.com", signIn: false) : null;

    private static string Bytes(double? b) => b is { } v ? $"{v,8:F0} B/msg" : "   (no alloc counter)";

    private static string Describe(Warmup w) => w.JitSettled switch
    {
        true => $"{w.Seconds:F1} s ({w.MethodsCompiled} methods compiled, then JIT settled)",
        false => $"{w.Seconds:F1} s (limit reached, JIT still compiling: {w.MethodsCompiled} methods)",
        null => $"{w.Seconds:F1} s (fixed)",
    };

    private static string Mismatch(LoadCounts counts, bool drained) => counts.Ok && drained ? "" : "  MISMATCH " + counts;
}
