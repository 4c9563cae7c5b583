using System.Diagnostics;
using System.Runtime.InteropServices;

namespace BemsServer.Bench.Client;

/// <param name="Start">Intended time of message 0 (Stopwatch ticks).</param>
/// <param name="PeriodTicks">Interval between intended send times.</param>
/// <param name="Lags">Actual minus intended send time of each sent message (ticks).</param>
/// <param name="Realtime">Whether the scheduler thread got real-time priority.</param>
internal sealed record ScheduleResult(long Start, double PeriodTicks, int Sent, long[] Lags, bool Aborted, bool Realtime)
{
    public long Intended(int k) => Start + (long)(k * PeriodTicks);
}

/// <summary>
/// Sends message k at Start + k·period from one dedicated thread, round-robin over the
/// pairs, whatever the responses do (open loop, no coordinated omission). Latency is
/// later measured from the intended time, so any lag of this thread counts against
/// the result and is reported; it sleeps with usleep and never spins.
/// </summary>
internal static partial class OpenLoopScheduler
{
    public static Task<ScheduleResult> RunAsync(Pair[] pairs, OpenLoopSink sink, double ratePerSecond, int total, TimeSpan abortLag)
    {
        var tcs = new TaskCompletionSource<ScheduleResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                tcs.SetResult(Run(pairs, sink, ratePerSecond, total, abortLag));
            }
#pragma warning disable CA1031 // Handed to the awaiting phase.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                tcs.SetException(ex);
            }
        })
        { IsBackground = true, Name = "open-loop scheduler" };
        thread.Start();
        return tcs.Task;
    }

    private static ScheduleResult Run(Pair[] pairs, OpenLoopSink sink, double ratePerSecond, int total, TimeSpan abortLag)
    {
        var realtime = TuneThread();
        var period = Stopwatch.Frequency / ratePerSecond;
        var abortTicks = (long)(abortLag.TotalSeconds * Stopwatch.Frequency);
        var lags = new long[total];
        var start = Stopwatch.GetTimestamp() + (Stopwatch.Frequency / 100);
        var sent = 0;
        var aborted = false;
        for (var k = 0; k < total; k++)
        {
            var intended = start + (long)(k * period);
            var now = Stopwatch.GetTimestamp();
            while (now < intended)
            {
                SleepTicks(intended - now);
                now = Stopwatch.GetTimestamp();
            }

            var lag = now - intended;
            if (lag > abortTicks)
            {
                aborted = true;
                break;
            }

            lags[k] = lag;
            var pair = pairs[k % pairs.Length];
            sink.MarkSent(k, now);
            pair.Sender.SendBlocking(pair.Template.Write(OpenLoopSink.SeqBase + k));
            sent++;
        }

        return new ScheduleResult(start, period, sent, lags, aborted, realtime);
    }

    private static void SleepTicks(long ticks)
    {
        var micros = ticks * 1_000_000 / Stopwatch.Frequency;
        if (micros <= 0)
        {
            Thread.Yield();
        }
        else if (OperatingSystem.IsLinux())
        {
            _ = USleep((uint)Math.Min(micros, 100_000));
        }
        else
        {
            Thread.Sleep(TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond, micros * 10)));
        }
    }

    /// <summary>
    /// Best effort, Linux only: 1 ns timer slack (usleep wakes on time instead of up to
    /// 50 µs late) and real-time FIFO priority 1 for this thread (needs root or
    /// CAP_SYS_NICE), so the scheduler is not queued behind the server's and the
    /// client's busy threads on a machine with few cores. The thread only sleeps and
    /// sends, so it cannot starve anyone. Returns whether real-time priority was granted.
    /// </summary>
    private static bool TuneThread()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            _ = Prctl(PrSetTimerSlack, 1, 0, 0, 0);
            var priority = 1;
            return SchedSetScheduler(GetTid(), SchedFifo, ref priority) == 0;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    private const int PrSetTimerSlack = 29;
    private const int SchedFifo = 1;

    [LibraryImport("libc", EntryPoint = "usleep")]
    private static partial int USleep(uint microseconds);

    [LibraryImport("libc", EntryPoint = "prctl")]
    private static partial int Prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);

    [LibraryImport("libc", EntryPoint = "gettid")]
    private static partial int GetTid();

    [LibraryImport("libc", EntryPoint = "sched_setscheduler")]
    private static partial int SchedSetScheduler(int pid, int policy, ref int param);
}
