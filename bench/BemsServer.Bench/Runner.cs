using System.Diagnostics;
using System.Net.Sockets;
using System.Net.WebSockets;
using BemsServer.Bench.Client;
using BemsServer.Bench.Hosting;
using HdrHistogram;

namespace BemsServer.Bench;

/// <summary>Runs the phases of one target in one round against a fresh server process.</summary>
internal sealed class Runner(Options options, Locations locations, HttpClient http, SessionFactory factory, Action<string> log)
{
    private const long HistogramMaxMicros = 60_000_000;

    /// <summary>Servers alive right now, so an abort (watchdog, Ctrl+C) can kill them.</summary>
    public static readonly HashSet<ServerProcess> Live = [];

    public IReadOnlyList<int> SessionCounts { get; set; } = options.SessionCounts;

    public async Task<TargetRound> RunAsync(TargetKind kind, int round)
    {
        var name = Name(kind);
        var result = new TargetRound(name, round);
        var bems = kind == TargetKind.Bems;
        using var server = ServerProcess.Start(kind, locations, http);
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
                log($"  {name} r{round}: {pairs,5} pairs {run.MessagesPerSecond,9:F0} msg/s  server {run.ServerCpuUsPerMessage,6:F1} µs/msg {Bytes(run.ServerAllocatedBytesPerMessage)}  client CPU {run.ClientCpuPercent:F0}%  machine {run.MachineBusyPercent:F0}%{(run.Counts.Ok && run.Drained ? "" : "  MISMATCH " + run.Counts)}");
                EnsureAlive(server);
            }

            var capacity = result.Capacity.FirstOrDefault(c => c.Pairs == options.LatencyPairs)?.MessagesPerSecond ?? 0;
            if (capacity > 0)
            {
                result.Latency = await RunOpenLoopAsync(server, bems, round, capacity * options.LoadFraction);
                var l = result.Latency;
                log($"  {name} r{round}: open loop {l.TargetRatePerSecond:F0}/s  p50/p99/p99.9 delivered {l.SendToDelivered.P50Ms:F2}/{l.SendToDelivered.P99Ms:F2}/{l.SendToDelivered.P999Ms:F2} ms  lag p99 {l.ScheduleLag.P99Ms:F2} ms  server/client/machine CPU {l.ServerCpuPercent:F0}/{l.ClientCpuPercent:F0}/{l.MachineBusyPercent:F0}%{(l.Valid ? "" : "  INVALID: " + l.InvalidReason)}{(l.Counts.Ok && l.Drained ? "" : "  MISMATCH " + l.Counts)}");
            }
            else
            {
                result.Failures.Add($"No capacity measured at {options.LatencyPairs} pairs; latency phase skipped.");
            }

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

            var s0 = await server.SampleAsync();
            var t0 = Stopwatch.GetTimestamp();
            var c0 = sink.Completed;
            var l0 = sink.LatencyTicks;
            var client0 = Environment.CpuUsage.TotalTime;
            var machine0 = MachineCpu.Read();

            await Task.Delay(options.Measure);

            var t1 = Stopwatch.GetTimestamp();
            var c1 = sink.Completed;
            var l1 = sink.LatencyTicks;
            var client1 = Environment.CpuUsage.TotalTime;
            var machine1 = MachineCpu.Read();
            var s1 = await server.SampleAsync();

            var drained = await sink.StopAndDrainAsync(options.RequestTimeout);
            var window = (double)(t1 - t0) / Stopwatch.Frequency;
            var completed = c1 - c0;
            var perMessage = Math.Max(1, completed);
            var serverWindowMs = (double)(s1.Timestamp - s0.Timestamp) * 1000 / Stopwatch.Frequency;
            return new CapacityRun(
                pairCount,
                completed / window,
                completed,
                window,
                completed > 0 ? (double)(l1 - l0) / completed * 1000 / Stopwatch.Frequency : double.NaN,
                (s1.CpuMs - s0.CpuMs) / serverWindowMs * 100,
                (s1.CpuMs - s0.CpuMs) * 1000 / perMessage,
                s1.AllocatedBytes - s0.AllocatedBytes is { } alloc ? (double)alloc / perMessage : null,
                (client1 - client0).TotalMilliseconds / (window * 1000) * 100,
                (client1 - client0).TotalMicroseconds / perMessage,
                MachineCpu.BusyPercent(machine0, machine1),
                MachineCpu.StealPercent(machine0, machine1),
                setupSeconds,
                drained,
                sink.Counts);
        }
        finally
        {
            SessionFactory.DisposeAll(pairs);
        }
    }

    /// <summary>2. Open loop at a fixed rate: latency percentiles from the intended send time.</summary>
    private async Task<LatencyRun> RunOpenLoopAsync(ServerProcess server, bool bems, int round, double rate)
    {
        var pairCount = options.LatencyPairs;
        var pairs = await factory.OpenPairsAsync(server.TenantUri($"bench-r{round}-latency"), pairCount, bems);
        try
        {
            var total = (int)Math.Clamp(Math.Ceiling(rate * (options.LatencyWarmup + options.LatencyMeasure).TotalSeconds), 1, 5_000_000);
            var sink = new OpenLoopSink(total, bems);
            sink.Attach(pairs);

            var s0 = await server.SampleAsync();
            var client0 = Environment.CpuUsage.TotalTime;
            var machine0 = MachineCpu.Read();
            var schedule = await OpenLoopScheduler.RunAsync(pairs, sink, rate, total, abortLag: TimeSpan.FromSeconds(1));
            var sendEnd = Stopwatch.GetTimestamp();
            var client1 = Environment.CpuUsage.TotalTime;
            var machine1 = MachineCpu.Read();
            var s1 = await server.SampleAsync();

            // Wait (bounded) for the last outcomes to arrive.
            var deadline = Stopwatch.GetTimestamp() + (long)(options.RequestTimeout.TotalSeconds * Stopwatch.Frequency);
            var counts = sink.Counts;
            while (!AllArrived(counts) && Stopwatch.GetTimestamp() < deadline)
            {
                await Task.Delay(5);
                counts = sink.Counts;
            }

            var drained = AllArrived(counts);
            var sendSeconds = (double)(sendEnd - schedule.Start) / Stopwatch.Frequency;
            var measuredFrom = schedule.Start + (long)(options.LatencyWarmup.TotalSeconds * Stopwatch.Frequency);
            var firstMeasured = 0;
            while (firstMeasured < schedule.Sent && schedule.Intended(firstMeasured) < measuredFrom)
            {
                firstMeasured++;
            }

            var processing = Histogram(sink.Processing, schedule, firstMeasured);
            var complete = Histogram(sink.Complete, schedule, firstMeasured);
            var delivered = Histogram(sink.Delivered, schedule, firstMeasured);
            var lag = new LongHistogram(1, HistogramMaxMicros, 3);
            for (var k = firstMeasured; k < schedule.Sent; k++)
            {
                lag.RecordValue(Micros(schedule.Lags[k]));
            }

            var lagP = ToPercentiles(lag);
            string? invalid = null;
            if (schedule.Aborted || schedule.Sent < total)
            {
                invalid = $"the client fell more than 1 s behind its schedule and stopped after {schedule.Sent} of {total} sends";
            }
            else if (lagP.P99Ms > 1.0)
            {
                invalid = $"the client fell behind its schedule (p99 send lag {lagP.P99Ms:F2} ms > 1 ms)";
            }

            var serverWindowMs = (double)(s1.Timestamp - s0.Timestamp) * 1000 / Stopwatch.Frequency;
            return new LatencyRun(
                pairCount,
                rate,
                schedule.Sent / sendSeconds,
                ToPercentiles(processing),
                ToPercentiles(complete),
                ToPercentiles(delivered),
                lagP,
                schedule.Realtime,
                invalid is null,
                invalid,
                (s1.CpuMs - s0.CpuMs) / serverWindowMs * 100,
                (client1 - client0).TotalMilliseconds / (sendSeconds * 1000) * 100,
                MachineCpu.BusyPercent(machine0, machine1),
                MachineCpu.StealPercent(machine0, machine1),
                drained,
                counts);
        }
        finally
        {
            SessionFactory.DisposeAll(pairs);
        }

        static bool AllArrived(LoadCounts c) =>
            c.Processing >= c.Sent && c.Complete >= c.Sent && c.Delivered >= c.Sent;
    }

    private static LongHistogram Histogram(long[] arrivals, ScheduleResult schedule, int first)
    {
        var h = new LongHistogram(1, HistogramMaxMicros, 3);
        for (var k = first; k < schedule.Sent; k++)
        {
            if (arrivals[k] != 0)
            {
                h.RecordValue(Micros(arrivals[k] - schedule.Intended(k)));
            }
        }

        return h;
    }

    private static long Micros(long ticks) =>
        Math.Clamp(ticks * 1_000_000 / Stopwatch.Frequency, 1, HistogramMaxMicros);

    private static Percentiles ToPercentiles(LongHistogram h) => h.TotalCount == 0
        ? new Percentiles(double.NaN, double.NaN, double.NaN, double.NaN, 0)
        : new Percentiles(
            h.GetValueAtPercentile(50) / 1000.0,
            h.GetValueAtPercentile(99) / 1000.0,
            h.GetValueAtPercentile(99.9) / 1000.0,
            h.GetMaxValue() / 1000.0,
            h.TotalCount);

    private static string Bytes(double? b) => b is { } v ? $"{v,8:F0} B/msg" : "   (no alloc counter)";
}
