using System.Diagnostics;
using System.Net.Sockets;
using System.Net.WebSockets;
using BemsServer.Bench.Client;
using BemsServer.Bench.Hosting;

namespace BemsServer.Bench;

/// <summary>Runs the phases of one target in one round against a fresh server process.</summary>
internal sealed partial class Runner(Options options, Locations locations, HttpClient http, SessionFactory factory, Action<string> log)
{
    /// <summary>Servers alive right now, so an abort (watchdog, Ctrl+C) can kill them.</summary>
    public static readonly HashSet<ServerProcess> Live = [];

    public IReadOnlyList<int> SessionCounts { get; set; } = options.SessionCounts;

    /// <param name="bemsCapacity">
    /// BemsServer's capacity at <see cref="Options.LatencyPairs"/> earlier in the same round: the basis of
    /// the open-loop rates, so both targets are driven at the same rates (null: the target's own capacity).
    /// </param>
    public async Task<TargetRound> RunAsync(TargetKind kind, int round, double? bemsCapacity)
    {
        var name = Name(kind);
        var result = new TargetRound(name, round);
        var bems = kind == TargetKind.Bems;
        using var server = ServerProcess.Start(kind, locations, http, options.ServerEnvironment);
        lock (Live)
        {
            Live.Add(server);
        }

        try
        {
            result.StartupMs = await MeasureStartupAsync(server, bems);
            log($"  {name} r{round}: start-up {result.StartupMs:F0} ms (pid {server.Process.Id}, port {server.Port})");

            await MeasureIdleSessionsAsync(server, bems, round, result);

            foreach (var pairs in options.PairCounts)
            {
                var run = await RunClosedLoopAsync(server, bems, round, pairs);
                result.Capacity.Add(run);
                log($"  {name} r{round}: {pairs,5} pairs {run.MessagesPerSecond,9:F0} msg/s  server {run.ServerCpuUsPerMessage,6:F1} µs/msg {Bytes(run.ServerAllocatedBytesPerMessage)}  server/client/machine CPU {run.ServerCpuPercent:F0}/{run.ClientCpuPercent:F0}/{run.MachineBusyPercent:F0}%{Mismatch(run.Counts, run.Drained)}");
                EnsureAlive(server);
            }

            await RunOpenLoopPhasesAsync(server, bems, round, bemsCapacity, result);
            EnsureAlive(server);
        }
#pragma warning disable CA1031 // A failed phase is recorded as a failure of the run (non-zero exit), not a crash.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            var output = server.RecentOutput();
            result.Failures.Add($"{ex.GetType().Name}: {ex.Message}" + (output.Length > 0 ? Environment.NewLine + "server output:" + Environment.NewLine + output : ""));
            log($"  {name} r{round}: FAILED {ex.GetType().Name}: {ex.Message}");
        }
        finally
        {
            lock (Live)
            {
                Live.Remove(server);
            }
        }

        return result;
    }

    public static string Name(TargetKind kind) => kind == TargetKind.Bems ? "BemsServer" : "R1";

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
    private async Task MeasureIdleSessionsAsync(ServerProcess server, bool bems, int round, TargetRound result)
    {
        var uri = server.TenantUri($"bench-r{round}-idle");
        var conns = new List<WsConn>();
        try
        {
            conns.AddRange(await factory.OpenManyAsync(uri, 0, options.WarmupSessions, i => $"w{i}@example.com", bems));
            await Task.Delay(options.Settle);
            var baseline = await server.SampleAsync();
            var opened = 0;
            var openTicks = 0L;
            foreach (var n in SessionCounts)
            {
                var t = Stopwatch.GetTimestamp();
                conns.AddRange(await factory.OpenManyAsync(uri, opened, n - opened, i => $"u{i}@example.com", bems));
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
                log($"  {Name(server.Kind)} r{round}: {n,6} idle {(bems ? "sessions" : "sockets")} {step.KiBPerSession,6:F1} KiB each, opened in {step.OpenSeconds:F2} s{(step.ServerReportedSessions is { } s ? $", server reports {s} sessions" : "")}");
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
    private async Task<CapacityRun> RunClosedLoopAsync(ServerProcess server, bool bems, int round, int pairCount)
    {
        var setupStart = Stopwatch.GetTimestamp();
        var pairs = await factory.OpenPairsAsync(server.TenantUri($"bench-r{round}-p{pairCount}"), pairCount, bems);
        var setupSeconds = Stopwatch.GetElapsedTime(setupStart).TotalSeconds;
        try
        {
            var sink = new ClosedLoopSink(pairs, bems);
            sink.Start();
            await Task.Delay(options.Warmup);

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
                sink.Counts);
        }
        finally
        {
            SessionFactory.DisposeAll(pairs);
        }
    }

    private static string Bytes(double? b) => b is { } v ? $"{v,8:F0} B/msg" : "   (no alloc counter)";

    private static string Mismatch(LoadCounts counts, bool drained) => counts.Ok && drained ? "" : "  MISMATCH " + counts;
}
