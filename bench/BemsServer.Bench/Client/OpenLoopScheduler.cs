using System.Diagnostics;
using System.Runtime.InteropServices;
using BemsServer.Bench.Hosting;

namespace BemsServer.Bench.Client;

/// <param name="Start">Intended time of message 0 (Stopwatch ticks).</param>
/// <param name="PeriodTicks">Interval between intended send times.</param>
/// <param name="Lags">Actual minus intended send time of each sent message (ticks).</param>
/// <param name="Realtime">Whether the sending thread got real-time priority.</param>
/// <param name="GcCollections">Collections of this process's own heap while the schedule ran (each one pauses the sends).</param>
/// <param name="GcPause">How long they paused this process in all.</param>
internal sealed record ScheduleResult(long Start, double PeriodTicks, int Sent, long[] Lags, bool Aborted, bool Realtime, int GcCollections, TimeSpan GcPause)
{
    public long Intended(int k) => Start + (long)(k * PeriodTicks);
}

/// <summary>
/// Sends message k at Start + k·period, round-robin over the pairs, whatever the responses do (open loop, no
/// coordinated omission). Latency is later measured from the intended time, so any lag of the sending thread counts
/// against the result and is reported. On Linux the sends run on the client's <see cref="EventLoop"/>, which waits for
/// the next one and for the sockets in one call; elsewhere a dedicated thread sleeps with usleep or Sleep, never spinning.
/// </summary>
internal static partial class OpenLoopScheduler
{
    /// <summary>A schedule that is running: its result, and a way to end it sooner than its most messages.</summary>
    public interface IOpenLoop
    {
        Task<ScheduleResult> Completion { get; }

        /// <summary>The last message sent is the last one intended before <paramref name="timestamp"/> (Stopwatch ticks).</summary>
        void EndAt(long timestamp);
    }

    /// <summary>
    /// Starts sending: at most <paramref name="total"/> messages, fewer once <see cref="IOpenLoop.EndAt"/> sets an end.
    /// </summary>
    public static IOpenLoop Start(Pair[] pairs, OpenLoopSink sink, double ratePerSecond, int total, TimeSpan abortLag)
    {
        var schedule = new Schedule(pairs, sink, ratePerSecond, total, abortLag);
        SettleHeap();
        if (EventLoop.Shared is { } loop)
        {
            loop.Start(schedule);
        }
        else
        {
            new Thread(schedule.RunOnThread) { IsBackground = true, Name = "open-loop scheduler" }.Start();
        }

        return schedule;
    }

    /// <summary>
    /// A full, blocking collection of the client's own heap before a schedule starts, while nothing is measured: the
    /// garbage of earlier phases (10,000 idle connections' buffers, the last phase's arrays) and this phase's new arrays
    /// would otherwise set off a collection during the schedule, and a collection pauses the sending thread with the
    /// rest of the process. The sends themselves allocate nothing.
    /// </summary>
    private static void SettleHeap()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
    }

    private sealed class Schedule(Pair[] pairs, OpenLoopSink sink, double ratePerSecond, int total, TimeSpan abortLag) : ITimedWork, IOpenLoop
    {
        private readonly TaskCompletionSource<ScheduleResult> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly double _period = Stopwatch.Frequency / ratePerSecond;
        private readonly long _abortTicks = (long)(abortLag.TotalSeconds * Stopwatch.Frequency);
        private readonly int _most = total;
        private readonly long[] _lags = new long[total];
        private long _start;
        private int _next;
        private int _end = total;
        private bool _aborted;
        private bool _realtime;
        private Exception? _failure;
        private int _gcCountAtStart;
        private TimeSpan _gcPauseAtStart;

        public Task<ScheduleResult> Completion => _completion.Task;

        // Not the end EndAt sets: an end set below the next message is found by Run, which then ends the schedule.
        public long NextDue => _next < _most && !_aborted ? _start + (long)(_next * _period) : long.MaxValue;

        public void EndAt(long timestamp)
        {
            var start = Volatile.Read(ref _start);
            var end = start == 0 ? _most : (int)Math.Clamp(Math.Ceiling((timestamp - start) / _period), 0, _most);
            Volatile.Write(ref _end, end);
        }

        public void Running(bool running)
        {
            if (running)
            {
                _realtime = TuneThread();
                _gcCountAtStart = GC.CollectionCount(0); // every collection counts in generation 0's
                _gcPauseAtStart = GC.GetTotalPauseDuration();
                Volatile.Write(ref _start, Stopwatch.GetTimestamp() + (Stopwatch.Frequency / 100));
                return;
            }

            if (_realtime) UntuneThread();
            if (_failure is not null)
            {
                _completion.TrySetException(_failure);
            }
            else
            {
                _completion.TrySetResult(new ScheduleResult(_start, _period, _next, _lags, _aborted, _realtime,
                    GC.CollectionCount(0) - _gcCountAtStart, GC.GetTotalPauseDuration() - _gcPauseAtStart));
            }
        }

        public bool Run(long now)
        {
            try
            {
                while (_next < Volatile.Read(ref _end))
                {
                    var intended = _start + (long)(_next * _period);
                    if (intended > now) return true;
                    var lag = now - intended;
                    if (lag > _abortTicks)
                    {
                        _aborted = true;
                        return false;
                    }

                    _lags[_next] = lag;
                    var pair = pairs[_next % pairs.Length];
                    sink.MarkSent(_next, now);
                    pair.Sender.SendBlocking(pair.Template.Write(OpenLoopSink.SeqBase + _next));
                    _next++;
                    now = Stopwatch.GetTimestamp();
                }

                return false;
            }
#pragma warning disable CA1031 // A failed send ends the schedule and is handed to the awaiting phase, not thrown into the loop.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                _failure = ex;
                return false;
            }
        }

        /// <summary>The portable path: a thread of its own that sleeps until each send.</summary>
        public void RunOnThread()
        {
            try
            {
                Running(true);
                while (true)
                {
                    var due = NextDue;
                    if (due == long.MaxValue) break;
                    var now = Stopwatch.GetTimestamp();
                    if (now < due)
                    {
                        SleepTicks(due - now);
                        continue;
                    }

                    if (!Run(now)) break;
                }

                Running(false);
            }
#pragma warning disable CA1031 // Handed to the awaiting phase.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                _completion.TrySetException(ex);
            }
        }
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
    /// Best effort, Linux only: 1 ns timer slack (a timed wait wakes on time instead of up to 50 µs late) and real-time
    /// FIFO priority 1 for the sending thread while the schedule runs (needs root or CAP_SYS_NICE), so it is not queued
    /// behind the client's other threads. Returns whether real-time priority was granted.
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
            return ThreadPolicy.Set(ThreadPolicy.Fifo, priority: 1);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    /// <summary>Back to the normal policy: the event loop outlives the schedule, and reads at normal priority.</summary>
    private static void UntuneThread()
    {
        _ = ThreadPolicy.Set(ThreadPolicy.Normal);
    }

    private const int PrSetTimerSlack = 29;

    [LibraryImport("libc", EntryPoint = "usleep")]
    private static partial int USleep(uint microseconds);

    [LibraryImport("libc", EntryPoint = "prctl")]
    private static partial int Prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);
}
