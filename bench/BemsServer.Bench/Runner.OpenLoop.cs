using System.Diagnostics;
using System.Globalization;
using BemsServer.Bench.Client;
using BemsServer.Bench.Hosting;
using HdrHistogram;

namespace BemsServer.Bench;

/// <summary>2. The open-loop phases: latency from the intended send time, and CPU per message at a fixed rate.</summary>
internal sealed partial class Runner
{
    private const long HistogramMaxMicros = 60_000_000;

    /// <summary>The basis's name when <c>--rate-basis</c> set it.</summary>
    internal const string FixedBasis = "--rate-basis";

    /// <summary>
    /// What the open-loop rates of a target are fractions of: the rate <c>--rate-basis</c> gives, else BemsServer's capacity at <see cref="Options.LatencyPairs"/>
    /// in this round, so R1 and BemsServer see the same rates, or the target's own when BemsServer's is unknown. Null when
    /// neither was measured: the target's open-loop phases are skipped, a failure of the run.
    /// </summary>
    private (double Capacity, string Name)? OpenLoopBasis(TargetRound result, double? bemsCapacity)
    {
        if (options.RateBasis is { } basis) return (basis, FixedBasis);
        if (bemsCapacity is > 0) return (bemsCapacity.Value, Name(TargetKind.Bems));
        if (result.CapacityAt(options.LatencyPairs)?.MessagesPerSecond is > 0 and var own) return (own, result.Target);
        result.Failures.Add($"No capacity measured at {options.LatencyPairs} pairs; open-loop phases skipped.");
        return null;
    }

    /// <summary>One open-loop phase at <paramref name="fraction"/> of <paramref name="basis"/>.</summary>
    private async Task RunOpenLoopPhaseAsync(ServerSet server, bool bems, int round, double fraction, (double Capacity, string Name) basis, TargetRound result)
    {
        var l = await RunOpenLoopAsync(server, bems, round, fraction, basis.Name, basis.Capacity * fraction, $"{result.Target}-r{round}-open{fraction * 100:F0}");
        result.OpenLoop.Add(l);
        log($"  {result.Target} r{round}: open loop {fraction:P0} of {basis.Name} = {l.TargetRatePerSecond:F0}/s  p50/p99/p99.9 delivered {l.SendToDelivered.P50Ms:F2}/{l.SendToDelivered.P99Ms:F2}/{l.SendToDelivered.P999Ms:F2} ms  server {l.ServerCpuUsPerMessage:F1} µs/msg  lag p99 {l.ScheduleLag.P99Ms:F2} ms  client GC {l.ClientGcCollections} ({l.ClientGcPauseMs:F1} ms)  server/client/machine CPU {l.ServerCpuPercent:F0}/{l.ClientCpuPercent:F0}/{l.MachineBusyPercent:F0}%  warm-up {Describe(l.Warmup)}{(l.Valid ? "" : "  INVALID: " + l.InvalidReason)}{Mismatch(l.Counts, l.Drained)}");
    }

    /// <summary>Open loop at a fixed rate on fresh pairs; the CPU window starts when the warm-up ends.</summary>
    private async Task<LatencyRun> RunOpenLoopAsync(ServerSet server, bool bems, int round, double fraction, string basis, double rate, string phase)
    {
        var pairs = await OpenPairsAsync(server, $"bench-r{round}-open{fraction * 100:F0}", options.LatencyPairs, bems);
        try
        {
            return await MeasureOpenLoopAsync(server, pairs, bems, fraction, basis, rate, phase);
        }
        finally
        {
            SessionFactory.DisposeAll(pairs);
        }
    }

    /// <summary>
    /// A client busier than this (percent of each of its cores) over the measured part makes the phase invalid. Its
    /// scheduler thread keeps the sends on time at real-time priority, so the send lag does not show it; the frames the
    /// server sent then wait in the client's sockets, and the latencies measure the client. A BemsServer message is three
    /// frames on two sockets against R1's one echo, so at the same rate BemsServer's client is the busier (80 against
    /// 55 µs of client CPU per message at 12k msg/s on the 2-core machine: 96 % against 66 % of its core).
    /// </summary>
    internal const double SaturatedClientPercent = 90;

    private static int ClientCores => ServerProcess.Pinned?.ClientCores ?? Environment.ProcessorCount;

    /// <summary>Drives open pairs at a fixed rate: warm-up, then the measured part with its CPU window.</summary>
    private async Task<LatencyRun> MeasureOpenLoopAsync(ServerSet server, Pair[] pairs, bool bems, double fraction, string basis, double rate, string phase)
    {
        var most = (int)Math.Clamp(Math.Ceiling(rate * (options.LatencyWarmup + options.LatencyWarmupLimit + options.LatencyMeasure).TotalSeconds), 1, 5_000_000);
        var sink = new OpenLoopSink(most, bems);
        sink.Attach(pairs);

        Awake?.Resume();
        ScheduleResult schedule;
        Usage from;
        long measuredFrom;
        OpenLoopWarmup warmup;
        try
        {
            var scheduling = OpenLoopScheduler.Start(pairs, sink, rate, most, abortLag: TimeSpan.FromSeconds(1));
            warmup = await SettleAsync(server, scheduling.Completion);
            measuredFrom = Stopwatch.GetTimestamp();
            from = await Usage.StartAsync(server);
            scheduling.EndAt(measuredFrom + (long)(options.LatencyMeasure.TotalSeconds * Stopwatch.Frequency));
            schedule = await scheduling.Completion;
        }
        finally
        {
            Awake?.Pause();
        }

        var sendEnd = Stopwatch.GetTimestamp();
        var usage = new UsageWindow(from, await Usage.EndAsync(server));
        var measured = sink.Sent.Take(schedule.Sent).LongCount(t => t >= from.Server.Timestamp && t <= usage.To.Server.Timestamp);

        var (counts, drained) = await DrainAsync(sink);
        var sendSeconds = (double)(sendEnd - schedule.Start) / Stopwatch.Frequency;
        var firstMeasured = FirstAfter(schedule, measuredFrom);
        var lag = new LongHistogram(1, HistogramMaxMicros, 3);
        for (var k = firstMeasured; k < schedule.Sent; k++)
        {
            lag.RecordValue(Micros(schedule.Lags[k]));
        }

        var lagP = ToPercentiles(lag);
        if (options.TimelineDir is { } timelines) await WriteTimelineAsync(Path.Combine(timelines, phase.Replace('×', 'x') + ".csv"), sink, schedule);
        string? invalid = null;
        if (schedule.Aborted)
        {
            invalid = $"the client fell more than 1 s behind its schedule and stopped after {schedule.Sent} sends";
        }
        else if (lagP.P99Ms > 1.0)
        {
            invalid = $"the client fell behind its schedule (p99 send lag {lagP.P99Ms:F2} ms > 1 ms{ClientGc(schedule)})";
        }
        else if (usage.ClientCpuPercent >= SaturatedClientPercent * ClientCores)
        {
            invalid = $"the client was saturated ({usage.ClientCpuPercent:F0} % of {ClientCores} core(s)): frames waited for it, so the latency is the client's as much as the server's";
        }

        return new LatencyRun(
            pairs.Length,
            fraction,
            basis,
            rate,
            schedule.Sent / sendSeconds,
            ToPercentiles(Histogram(sink.Processing, schedule, firstMeasured)),
            ToPercentiles(Histogram(sink.Complete, schedule, firstMeasured)),
            ToPercentiles(Histogram(sink.Delivered, schedule, firstMeasured)),
            lagP,
            schedule.Realtime,
            invalid is null,
            invalid,
            measured,
            usage.ServerCpuPercent,
            usage.ServerCpuUsPer(measured),
            usage.ClientCpuPercent,
            usage.ClientCpuUsPer(measured),
            usage.MachineBusyPercent,
            usage.MachineStealPercent,
            drained,
            counts,
            schedule.GcCollections,
            schedule.GcPause.TotalMilliseconds,
            warmup);
    }

    /// <summary>
    /// The open loop's warm-up: the fixed part, then on while the server's collector still collects generation 1 or older,
    /// or its JIT still compiles, up to <see cref="Options.LatencyWarmupLimit"/>. A phase opens fresh pairs (a fresh
    /// tenant, its sessions, chats and frame journal), and once the load starts the collector promotes all of it, with
    /// gen1 collections and a background gen2 one, in the first seconds. The load also runs code the closed loops did not
    /// (requests that queue behind one in flight, a writer woken behind a send), and tiering replaces it in two steps,
    /// about 2 s apart on one core: instrumented, then optimized; the second step took half of BemsServer's core for half
    /// a second, and with the collector's rule alone it came just after the warm-up, in the measured window. The phase's
    /// tail is a steady-state figure, so it is measured once both are over; how long that took is reported beside it.
    /// R1 allocates nothing per echo and has few methods: it settles as soon as the rule allows (the JIT's 5 s).
    /// </summary>
    private async Task<OpenLoopWarmup> SettleAsync(ServerSet server, Task running)
    {
        var start = Stopwatch.GetTimestamp();
        var sample = options.LatencyWarmupLimit > TimeSpan.Zero ? await server.SampleAsync() : default;
        var collector = sample.Gen1Collections is { } gen1 ? new QuietCount(static s => s.Gen1Collections, gen1, options.GcQuiet) : null;
        var jit = sample.JitCompiledMethods is { } methods ? new QuietCount(static s => s.JitCompiledMethods, methods, options.JitQuiet) : null;
        await Task.WhenAny(Task.Delay(options.LatencyWarmup), running);
        QuietCount[] counts = [.. new[] { collector, jit }.OfType<QuietCount>()];
        if (counts.Length == 0)
        {
            return new OpenLoopWarmup(Stopwatch.GetElapsedTime(start).TotalSeconds, null, null);
        }

        // Nothing moved during the fixed part: quiet since the schedule began.
        sample = await server.SampleAsync();
        foreach (var count in counts)
        {
            count.See(sample);
        }

        await UntilQuietAsync(server, counts, start, options.LatencyWarmup + options.LatencyWarmupLimit, running);
        return new OpenLoopWarmup(Stopwatch.GetElapsedTime(start).TotalSeconds, collector?.IsQuiet, collector?.Moved)
        {
            JitSettled = jit?.IsQuiet,
            MethodsCompiled = jit?.Moved,
        };
    }

    /// <summary>The client's own collections during the schedule, when there were any: each paused its sends.</summary>
    private static string ClientGc(ScheduleResult schedule) => schedule.GcCollections == 0 ? "; the client's own heap was not collected meanwhile"
        : $"; the client's own heap was collected {schedule.GcCollections} time(s) meanwhile, pausing it {schedule.GcPause.TotalMilliseconds:F1} ms";

    /// <summary>Waits (bounded) for the last outcomes to arrive.</summary>
    private async Task<(LoadCounts Counts, bool Drained)> DrainAsync(OpenLoopSink sink)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(options.RequestTimeout.TotalSeconds * Stopwatch.Frequency);
        var counts = sink.Counts;
        while (!AllArrived(counts) && Stopwatch.GetTimestamp() < deadline)
        {
            await Task.Delay(5);
            counts = sink.Counts;
        }

        return (counts, AllArrived(counts));

        static bool AllArrived(LoadCounts c) =>
            c.Processing >= c.Sent && c.Complete >= c.Sent && c.Delivered >= c.Sent;
    }

    /// <summary>
    /// Every message of the schedule, warm-up included (times from the schedule's start): when in the phase the slow
    /// messages came, which the percentiles cannot tell.
    /// </summary>
    private static async Task WriteTimelineAsync(string path, OpenLoopSink sink, ScheduleResult schedule)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        await using var w = new StreamWriter(path);
        await w.WriteLineAsync("intended_us,processing_us,complete_us,delivered_us,lag_us");
        for (var k = 0; k < schedule.Sent; k++)
        {
            var intended = schedule.Intended(k);
            await w.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{(intended - schedule.Start) * 1_000_000 / Stopwatch.Frequency},{Since(sink.Processing[k])},{Since(sink.Complete[k])},{Since(sink.Delivered[k])},{Micros(schedule.Lags[k])}"));

            long Since(long arrival) => arrival == 0 ? -1 : Micros(arrival - intended);
        }
    }

    private static string Describe(OpenLoopWarmup w)
    {
        if (w.GcSettled is null && w.JitSettled is null) return $"{w.Seconds:F1} s (fixed)";
        var what = $"{w.Gen1Collections?.ToString(CultureInfo.InvariantCulture) ?? "?"} gen1+ collections, {w.MethodsCompiled?.ToString(CultureInfo.InvariantCulture) ?? "?"} methods compiled";
        return w.GcSettled != false && w.JitSettled != false
            ? $"{w.Seconds:F1} s ({what}, then settled)"
            : $"{w.Seconds:F1} s (limit reached, {(w.GcSettled == false ? "collector" : "JIT")} still busy: {what})";
    }

    /// <summary>The first message whose intended send time is past the warm-up.</summary>
    private static int FirstAfter(ScheduleResult schedule, long measuredFrom)
    {
        var first = 0;
        while (first < schedule.Sent && schedule.Intended(first) < measuredFrom)
        {
            first++;
        }

        return first;
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
}
