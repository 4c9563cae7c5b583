using System.Diagnostics;
using System.Globalization;
using BemsServer.Bench.Client;
using BemsServer.Bench.Hosting;

namespace BemsServer.Bench;

/// <summary>The scale phase (<c>--scale</c>): many signed-in sessions on one node, then 1 % of them chatting.</summary>
internal sealed partial class Runner
{
    /// <summary>Descriptors kept free in each process beside the sessions (samples, the runtimes' own).</summary>
    private const int SpareDescriptors = 500;

    public async Task<ScaleRun> RunScaleAsync(int requested)
    {
        var result = new ScaleRun(requested);
        const string tenant = "bench-scale";
        using var server = new ServerSet(TargetKind.Bems);
        var conns = new List<WsConn>();
        try
        {
            result.StartupMs = await StartAsync(server, nodes: 1, round: 1, bems: true);
            result.Sessions = FitScale(result, server.First.Process.Id);
            var addresses = SourceAddress.Loopback(Math.Max(2, (result.Sessions + SourceAddress.SessionsPerAddress - 1) / SourceAddress.SessionsPerAddress));
            result.SourceAddresses = addresses.Length;
            var factories = addresses.Select(a => new SessionFactory(a, options.RequestTimeout, options.ConnectConcurrency)).ToArray();
            log($"  scale: {result.Sessions:N0} sessions (of {requested:N0} asked) from {addresses.Length} source addresses 127.0.0.2–{addresses[^1]}; start-up {result.StartupMs:F0} ms{(result.Limit is null ? "" : "; limited by the open-file limit")}");

            var uri = server.First.TenantUri(tenant);
            conns.AddRange(await factory.OpenManyAsync(_ => uri, 0, options.WarmupSessions, i => $"w{i}@example.com", signIn: true));
            await Task.Delay(options.Settle);
            var baseline = await server.SampleAsync();
            var batches = result.Sessions >= 1000 ? 4 : 2;
            var openTicks = 0L;
            for (var b = 1; b <= batches; b++)
            {
                var from = conns.Count - options.WarmupSessions;
                var to = (int)((long)result.Sessions * b / batches);
                var t = Stopwatch.GetTimestamp();
                await Parallel.ForEachAsync(
                    Enumerable.Range(from, to - from),
                    new ParallelOptions { MaxDegreeOfParallelism = options.ConnectConcurrency },
                    async (i, _) =>
                    {
                        var conn = await factories[i % factories.Length].OpenAsync(uri, $"s{i}@example.com", signIn: true);
                        lock (conns)
                        {
                            conns.Add(conn);
                        }
                    });
                openTicks += Stopwatch.GetTimestamp() - t;
                await Task.Delay(options.Settle);
                var sample = await server.SampleAsync();
                var delta = sample.WorkingSetBytes - baseline.WorkingSetBytes;
                var step = new IdleStep(to, (double)openTicks / Stopwatch.Frequency, delta, delta / 1024.0 / to, sample.GcHeapBytes - baseline.GcHeapBytes, sample.Sessions);
                result.Steps.Add(step);
                log($"  scale: {to,7:N0} sessions open in {step.OpenSeconds:F1} s ({to / step.OpenSeconds:F0}/s), working set {step.KiBPerSession:F1} KiB and GC heap {step.GcHeapDeltaBytes / 1024.0 / to:F1} KiB per session, server reports {step.ServerReportedSessions} sessions");
                EnsureAlive(server);
            }

            result.ChattingSessions = Math.Max(2, result.Sessions / 100 / 2 * 2);
            result.PairRatePerSecond = options.ScalePairRate;
            var pairs = await OpenChatsAsync(conns.Skip(options.WarmupSessions).ToList(), result.ChattingSessions / 2);
            var chat = result.Chat = await MeasureOpenLoopAsync(server, pairs, bems: true, double.NaN, "per pair", pairs.Length * options.ScalePairRate, "scale");
            log($"  scale: {result.ChattingSessions:N0} sessions chatting at {chat.TargetRatePerSecond:F0} msg/s  p50/p99/p99.9 delivered {chat.SendToDelivered.P50Ms:F2}/{chat.SendToDelivered.P99Ms:F2}/{chat.SendToDelivered.P999Ms:F2} ms  server {chat.ServerCpuUsPerMessage:F1} µs/msg  lag p99 {chat.ScheduleLag.P99Ms:F2} ms{(chat.Valid ? "" : "  INVALID: " + chat.InvalidReason)}{Mismatch(chat.Counts, chat.Drained)}");
            EnsureAlive(server);
        }
#pragma warning disable CA1031 // A failed phase is recorded as a failure of the run (non-zero exit), not a crash.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            result.Failures.Add(Failed(ex, server, "scale"));
        }
        finally
        {
            SessionFactory.DisposeAll(conns);
            Forget(server);
        }

        return result;
    }

    /// <summary>
    /// Sessions that fit: each holds one descriptor in the server process and one in this one (the load client), so
    /// the smaller room of the two, less the warm-up sessions and some spare, bounds the count.
    /// </summary>
    private int FitScale(ScaleRun result, int serverPid)
    {
        result.ClientFiles = FileLimits.Of(Environment.ProcessId);
        result.ServerFiles = FileLimits.Of(serverPid);
        var (name, files) = new[] { ("the server", result.ServerFiles), ("the load client", result.ClientFiles) }
            .Where(p => p.Item2 is not null)
            .OrderBy(p => p.Item2!.Room)
            .FirstOrDefault();
        if (files is null || files.Room - options.WarmupSessions - SpareDescriptors >= result.Requested)
        {
            return result.Requested;
        }

        var fit = (int)Math.Max(100, files.Room - options.WarmupSessions - SpareDescriptors);
        result.Limit = string.Create(
            CultureInfo.InvariantCulture,
            $"open-file limit: {result.Requested:N0} sessions need {result.Requested:N0} descriptors in the server process and as many in the load client (one socket each), but {name} may open only {files.Soft:N0} (its soft limit; hard limit {files.Hard:N0}; .NET raises the soft one to the hard one at start, and only root with CAP_SYS_RESOURCE can raise the hard one) and already had {files.Open:N0} open. Measured {fit:N0}, the most that fit with the {options.WarmupSessions} warm-up sessions and {SpareDescriptors} descriptors spare. To measure {result.Requested:N0} on one node, raise the hard limit of both processes: `ulimit -n 262144` (as root) in the shell that starts the bench, `LimitNOFILE=262144` in a systemd unit, or `docker run --ulimit nofile=262144:262144`.");
        return fit;
    }

    /// <summary>Pairs of open sessions, spread over them, each with an accepted chat.</summary>
    private async Task<Pair[]> OpenChatsAsync(List<WsConn> open, int count)
    {
        var step = Math.Max(1, open.Count / (count * 2));
        var pairs = new Pair[count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, count),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.ConnectConcurrency / 2) },
            async (k, _) =>
            {
                var (sender, recipient) = (open[2 * k * step], open[((2 * k) + 1) * step]);
                await factory.OpenChatAsync(sender, recipient);
                pairs[k] = new Pair(k, sender, recipient, new SendMessageTemplate(recipient.User));
                sender.Pair = recipient.Pair = pairs[k];
            });
        return pairs;
    }
}
