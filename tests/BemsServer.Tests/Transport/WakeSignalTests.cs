using BemsServer.Transport;

namespace BemsServer.Tests.Transport;

/// <summary>The outbox writer's wake: one waiter, any number of setters, a wake never lost and never doubled.</summary>
public sealed class WakeSignalTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public void SetWithNobodyWaiting_IsKeptForTheNextWait_Once()
    {
        var signal = new WakeSignal();

        signal.Set();
        signal.Set();

        signal.WaitAsync().IsCompleted.Should().BeTrue("the wake was kept");
        signal.WaitAsync().IsCompleted.Should().BeFalse("two sets before a wait are one wake");
    }

    [Fact]
    public async Task Set_WakesTheWaiter()
    {
        var signal = new WakeSignal();
        var waiting = signal.WaitAsync().AsTask();
        waiting.IsCompleted.Should().BeFalse();

        signal.Set();

        await waiting.WaitAsync(Bound);
        signal.WaitAsync().IsCompleted.Should().BeFalse("the wake was taken by the waiter");
    }

    [Fact]
    public async Task ManySettersAgainstOneWaiter_NoSetIsLost()
    {
        // Each round: the waiter waits, setters race; the round ends only if some set woke it, so a lost wake hangs the
        // test until its bound.
        var signal = new WakeSignal();
        for (var round = 0; round < 2000; round++)
        {
            var waiting = signal.WaitAsync().AsTask();
            var setters = Enumerable.Range(0, 2).Select(_ => Task.Run(signal.Set)).ToArray();
            await waiting.WaitAsync(Bound);
            await Task.WhenAll(setters).WaitAsync(Bound);
            if (signal.WaitAsync() is { IsCompleted: false } left)
            {
                signal.Set(); // nothing was kept: end this wait so the next round starts clean
                await left.AsTask().WaitAsync(Bound);
            }
        }
    }
}
