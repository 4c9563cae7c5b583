using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace BemsServer.Tests;

/// <summary>
/// The virtual clock, counting the timers made on it and telling each time one is set to fire (so a test can act once
/// the code under test has armed its timer, not before).
/// </summary>
public sealed class CountingClock() : FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 9, 0, 0, TimeSpan.Zero))
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private int _timersCreated;

    public int TimersCreated => Volatile.Read(ref _timersCreated);

    /// <summary>One item, the due time, each time a timer is set to fire.</summary>
    public Channel<TimeSpan> Armed { get; } = Channel.CreateUnbounded<TimeSpan>();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        Interlocked.Increment(ref _timersCreated);
        return new Watched(base.CreateTimer(callback, state, dueTime, period), this);
    }

    public async Task ArmedAsync() => await Armed.Reader.ReadAsync().AsTask().WaitAsync(Bound);

    private sealed class Watched(ITimer inner, CountingClock clock) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            var changed = inner.Change(dueTime, period);
            if (dueTime != Timeout.InfiniteTimeSpan) clock.Armed.Writer.TryWrite(dueTime);
            return changed;
        }

        public void Dispose() => inner.Dispose();

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
