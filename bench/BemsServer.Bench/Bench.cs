using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;
using BemsServer.Bench.Client;
using BemsServer.Bench.Hosting;

namespace BemsServer.Bench;

/// <summary>The whole run: rounds in which each phase runs on BemsServer and on R1 in turn, then the report.</summary>
internal static class Bench
{
    public static async Task<int> RunAsync(Options options)
    {
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var notes = new List<string>();
        var locations = Locations.Find(options.ServerDll);
        void Log(string line) => Console.WriteLine($"[{clock.Elapsed.TotalSeconds,6:F1}s] {line}");

        if (options.Targets.Contains(TargetKind.Bems) && !File.Exists(locations.ServerDll))
        {
            await Console.Error.WriteLineAsync($"Server not built: {locations.ServerDll} is missing. Build src/BemsServer in Release (the bench's project reference does it when src/BemsServer exists), pass --server-dll, or measure R1 alone with --targets r1.");
            return 1;
        }

        List<int> sessionCounts = options.ScaleOnly ? [] : FitToFileLimit(options, notes);
        // The bench assumes the machine is otherwise idle; say so when it is not. In its first second `dotnet run` and the
        // bench itself are often still starting (a core's worth of CPU): a full run gives the machine up to 10 s to go quiet.
        var backgroundBusy = 0.0;
        for (var waited = 0; waited < (options.Quick ? 1 : 10); waited++)
        {
            var idle0 = MachineCpu.Read();
            await Task.Delay(TimeSpan.FromSeconds(options.Quick ? 0.5 : 1));
            backgroundBusy = MachineCpu.BusyPercent(idle0, MachineCpu.Read());
            if (backgroundBusy <= 25) break;
        }
        var loadAverage = LoadAverage();
        if (backgroundBusy > 25)
        {
            notes.Add($"the machine was not idle before the run ({backgroundBusy:F0} % of one core busy, load average {loadAverage}): other processes compete with the client and the servers, so the figures are disturbed.");
        }

        var outDir = options.OutDir is { } dir
            ? Path.GetFullPath(dir, Locations.InvocationDirectory())
            : locations.DefaultOutputDirectory(started);

        // A full run measures the server as users install it (before pinning: the publish has every core).
        var serverBuild = "the Release build, compiled at run time (--quick or --plain-build)";
        if (options.ServerDll is not null) serverBuild = "the assembly given with --server-dll";
        else if (!options.Quick && !options.PlainBuild && options.Targets.Contains(TargetKind.Bems))
        {
            if (await locations.PublishToolBuildAsync(outDir, Log) is not { } published) return 1;
            locations = published;
            serverBuild = $"the bems-server tool's build: ReadyToRun for {RuntimeInformation.RuntimeIdentifier}, published from this checkout as its tool package holds it";
        }

        using var watchdog = new Timer(
            _ =>
            {
                Console.Error.WriteLine($"Run exceeded its time limit of {options.RunTimeout}; stopping.");
                KillLiveServers();
                Environment.Exit(1);
            },
            null,
            options.RunTimeout,
            Timeout.InfiniteTimeSpan);
        // Ctrl+C, kill, hang-up: stop the servers, then let the signal end the bench as usual.
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, _ => KillLiveServers());
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => KillLiveServers());
        using var sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, _ => KillLiveServers());
        AppDomain.CurrentDomain.ProcessExit += (_, _) => KillLiveServers();

        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        var factory = new SessionFactory(source: null, options.RequestTimeout, options.ConnectConcurrency);
        var runner = new Runner(options, locations, http, factory, Log) { SessionCounts = sessionCounts };

        // Before the bench pins itself: a test process has every core.
        FixtureStartRun? fixture = null;
        if (options.FixtureStarts is { } starts)
        {
            Log($"fixture start: BemsServer.Testing's emulator in this process, {starts} times (not pinned)");
            fixture = await FixtureStart.MeasureAsync(starts, factory, Log);
        }

        var pinning = ServerProcess.Pinned = Pinning.Apply(options.Pin);
        if (options.Pin && pinning is null)
        {
            notes.Add("client and servers were not pinned to separate cores (one core, no taskset, or not Linux): they compete for the same CPUs.");
        }

        using var awake = runner.Awake = KeepAwake.Start(pinning, locations, options.KeepAwake);
        using var isolated = KernelThreads.Isolate(pinning, options.Isolate);
        if (isolated is not null) AppDomain.CurrentDomain.ProcessExit += (_, _) => isolated.Dispose();

        var mode = options.Quick ? "quick" : options.ScaleOnly ? "scale" : "full";
        Log(options.ScaleOnly
            ? $"BemsServer bench ({mode}): no rounds; scale {options.ScaleSessions?.ToString("N0", CultureInfo.InvariantCulture) ?? "–"} sessions; fixture starts {options.FixtureStarts?.ToString(CultureInfo.InvariantCulture) ?? "–"}"
            : $"BemsServer bench ({mode}): {options.Rounds} round(s) of {string.Join(", ", options.Targets.Select(Runner.Name).Concat(options.Nodes > 1 ? [options.ClusterName] : []))}; pairs {string.Join(",", options.PairCounts)}; idle sessions {string.Join(",", sessionCounts)}");
        if (options.Targets.Contains(TargetKind.Bems))
        {
            Log($"server under test: {locations.ServerDll} ({serverBuild})");
        }

        Log(pinning is null ? "not pinned" : $"pinned: {pinning.Describe()}{(isolated is null ? "" : "; " + isolated.Description)}");
        if (options.ServerEnvironment.Count > 0)
        {
            Log($"BemsServer environment: {string.Join(" ", ServerEnvironment(options))}");
        }

        var rounds = new List<TargetRound>();
        for (var round = 1; round <= options.Rounds && !options.ScaleOnly; round++)
        {
            Log($"round {round}/{options.Rounds}: {string.Join(", ", options.Targets.Select(Runner.Name))}{(options.Targets.Count > 1 ? ", each phase on each in turn" : "")}");
            var single = await runner.RunRoundAsync(options.Targets, nodes: 1, round, bemsCapacity: null);
            rounds.AddRange(single);
            if (options.Nodes > 1)
            {
                var bemsCapacity = single.FirstOrDefault(r => r.Target == Runner.Name(TargetKind.Bems))?.CapacityAt(options.LatencyPairs)?.MessagesPerSecond;
                Log($"round {round}/{options.Rounds}: {options.ClusterName} (senders on node 1, recipients on node {options.Nodes})");
                rounds.AddRange(await runner.RunRoundAsync([TargetKind.Bems], options.Nodes, round, bemsCapacity));
            }
        }

        ScaleRun? scale = null;
        if (options.ScaleSessions is { } sessions)
        {
            Log($"scale: {sessions:N0} sessions on one BemsServer, then 1 % of them chatting");
            scale = await runner.RunScaleAsync(sessions);
        }

        var info = new RunInfo(
            mode,
            started,
            clock.Elapsed.TotalSeconds,
            Environment.ProcessorCount,
            RuntimeInformation.OSDescription,
            Environment.Version.ToString(),
            GCSettings.IsServerGC,
            OpenFileLimit(),
            backgroundBusy,
            loadAverage,
            LoadAverage(),
            locations.ServerDll,
            serverBuild,
            ServerEnvironment(options),
            pinning is null ? null : string.Join("; ", new[] { pinning.Describe(), awake?.Description, isolated?.Description }.OfType<string>()),
            notes);
        var summary = options.ScaleOnly ? null : Summary.Of(options, info, rounds);
        var markdown = (summary is null ? Report.ScaleHeader(info) : Report.Markdown(options, info, summary, rounds))
            + Report.ScaleSections(options, scale, fixture);
        Report.Write(outDir, summary, info, rounds, scale, fixture, markdown);

        Console.WriteLine();
        Console.WriteLine(markdown);
        Console.WriteLine($"Report written to {outDir} ({(summary is null ? "" : "summary.json, ")}results.json, report.md); {clock.Elapsed.TotalSeconds:F0} s.");
        var mismatches = (summary?.Mismatches ?? 0) + (scale?.Mismatches ?? 0) + (fixture?.Failure is null ? 0 : 1);
        if (mismatches > 0)
        {
            await Console.Error.WriteLineAsync($"FAILED: {mismatches} phase(s) with mismatched counts, errors or failures.");
            return 1;
        }

        return 0;
    }

    private static string[] ServerEnvironment(Options options) =>
        [.. options.ServerEnvironment.Select(v => $"{v.Key}={v.Value}")];

    private static void KillLiveServers()
    {
        KeepAwake.KillLive();
        ServerProcess[] live;
        lock (Runner.Live)
        {
            live = [.. Runner.Live];
        }

        foreach (var server in live)
        {
            try
            {
                server.Process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
            }
        }
    }

    /// <summary>
    /// The client holds one descriptor per idle session, and so does the server; .NET raises
    /// the soft open-file limit to the hard one at start. Counts that would not fit are dropped.
    /// </summary>
    private static List<int> FitToFileLimit(Options options, List<string> notes)
    {
        var limit = OpenFileLimit();
        var counts = options.SessionCounts.ToList();
        if (limit is not { } l)
        {
            return counts;
        }

        var room = l - options.WarmupSessions - 512;
        var fitting = counts.Where(n => n <= room).ToList();
        if (fitting.Count < counts.Count)
        {
            var dropped = string.Join(", ", counts.Except(fitting));
            notes.Add($"open-file limit {l} is too low for {dropped} idle sessions (raise it, e.g. `ulimit -n 65536`); measured {(fitting.Count > 0 ? string.Join(", ", fitting) : "none")}.");
            if (fitting.Count == 0 && room > 100)
            {
                fitting.Add((int)room);
            }
        }

        return fitting;
    }

    private static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "?";
        }
    }

    /// <summary>The soft "Max open files" limit of this process, from /proc/self/limits.</summary>
    private static long? OpenFileLimit() => FileLimits.Of(Environment.ProcessId)?.Soft;
}
