using BemsServer.Transport;

namespace BemsServer.Tests.Transport;

/// <summary>A connection's one-at-a-time context: inline when idle, never two at once, arrival order, resilient to a bug.</summary>
public sealed class OneAtATimeTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public void TryRun_Idle_RunsOnTheCallersThreadWithTheContextCurrent()
    {
        var context = new OneAtATime();
        int? thread = null;
        SynchronizationContext? current = null;

        var ran = context.TryRun(_ => (thread, current) = (Environment.CurrentManagedThreadId, SynchronizationContext.Current), null);

        ran.Should().BeTrue();
        thread.Should().Be(Environment.CurrentManagedThreadId);
        current.Should().BeSameAs(context);
        SynchronizationContext.Current.Should().NotBeSameAs(context, "the caller's own context comes back afterwards");
    }

    [Fact]
    public void TryRun_WhileWorkRuns_RunsNothingAndWhatIsPostedRunsBehindInArrivalOrderOnThatThread()
    {
        var context = new OneAtATime();
        var order = new List<string>();
        var thread = Environment.CurrentManagedThreadId;
        bool? ranInside = null;

        context.TryRun(_ =>
        {
            order.Add("first");
            ranInside = context.TryRun(_ => order.Add("refused"), null); // arrives while "first" runs: must not run inside it
            context.Post(_ => order.Add("second"), null);
            context.Post(_ => order.Add(Environment.CurrentManagedThreadId == thread ? "third, same thread" : "third, elsewhere"), null);
            order.Add("first done");
        }, null);

        ranInside.Should().BeFalse();
        order.Should().Equal("first", "first done", "second", "third, same thread");
    }

    [Fact]
    public async Task Post_Idle_RunsOnTheThreadPool()
    {
        var context = new OneAtATime();
        var ran = new TaskCompletionSource<(bool Pool, SynchronizationContext? Current)>(TaskCreationOptions.RunContinuationsAsynchronously);

        context.Post(_ => ran.TrySetResult((Thread.CurrentThread.IsThreadPoolThread, SynchronizationContext.Current)), null);

        var (pool, current) = await ran.Task.WaitAsync(Bound);
        pool.Should().BeTrue();
        current.Should().BeSameAs(context);
    }

    [Fact]
    public async Task PostAndRun_FromManyThreads_NeverRunTwoAtOnceAndLoseNothing()
    {
        var context = new OneAtATime();
        var inside = 0;
        var overlaps = 0;
        var done = 0;
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        const int PerThread = 2000;
        void Work(object? _)
        {
            if (Interlocked.Increment(ref inside) > 1) Interlocked.Increment(ref overlaps);
            Thread.SpinWait(20);
            Interlocked.Decrement(ref inside);
            if (Interlocked.Increment(ref done) == 4 * PerThread) all.TrySetResult();
        }

        var threads = Enumerable.Range(0, 4).Select(i => Task.Run(() =>
        {
            for (var n = 0; n < PerThread; n++)
            {
                if (i % 2 != 0 || !context.TryRun(Work, null)) context.Post(Work, null);
            }
        })).ToArray();
        await Task.WhenAll(threads).WaitAsync(Bound);
        await all.Task.WaitAsync(Bound);

        overlaps.Should().Be(0);
    }

    [Fact]
    public async Task TryRun_WorkThrows_TheExceptionReachesTheCallerAndWorkQueuedBehindAndAfterStillRuns()
    {
        var context = new OneAtATime();
        var later = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var act = () => context.TryRun(_ =>
        {
            context.Post(_ => later.TrySetResult(), null);
            throw new InvalidOperationException("bug");
        }, null);

        act.Should().Throw<InvalidOperationException>();
        await later.Task.WaitAsync(Bound);
        var after = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        context.TryRun(_ => after.TrySetResult(), null).Should().BeTrue();
        await after.Task.WaitAsync(Bound); // the context was not left wedged, running nothing
    }
}
