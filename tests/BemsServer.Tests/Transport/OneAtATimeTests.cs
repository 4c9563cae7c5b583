using BemsServer.Transport;

namespace BemsServer.Tests.Transport;

/// <summary>A connection's one-at-a-time context: inline when idle, never two at once, arrival order, resilient to a bug.</summary>
public sealed class OneAtATimeTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public void Run_Idle_RunsOnTheCallersThreadWithTheContextCurrent()
    {
        var context = new OneAtATime();
        int? thread = null;
        SynchronizationContext? current = null;

        context.Run(_ => (thread, current) = (Environment.CurrentManagedThreadId, SynchronizationContext.Current), null);

        thread.Should().Be(Environment.CurrentManagedThreadId);
        current.Should().BeSameAs(context);
        SynchronizationContext.Current.Should().NotBeSameAs(context, "the caller's own context comes back afterwards");
    }

    [Fact]
    public void Run_WhileWorkRuns_QueuesBehindItAndRunsInArrivalOrderOnThatThread()
    {
        var context = new OneAtATime();
        var order = new List<string>();

        context.Run(_ =>
        {
            order.Add("first");
            context.Run(_ => order.Add("second"), null); // arrives while "first" runs: must not run inside it
            context.Post(_ => order.Add("third"), null);
            order.Add("first done");
        }, null);

        order.Should().Equal("first", "first done", "second", "third");
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
                if (i % 2 == 0) context.Run(Work, null);
                else context.Post(Work, null);
            }
        })).ToArray();
        await Task.WhenAll(threads).WaitAsync(Bound);
        await all.Task.WaitAsync(Bound);

        overlaps.Should().Be(0);
    }

    [Fact]
    public async Task Run_WorkThrows_TheExceptionReachesTheCallerAndWorkQueuedBehindAndAfterStillRuns()
    {
        var context = new OneAtATime();
        var later = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var act = () => context.Run(_ =>
        {
            context.Post(_ => later.TrySetResult(), null);
            throw new InvalidOperationException("bug");
        }, null);

        act.Should().Throw<InvalidOperationException>();
        await later.Task.WaitAsync(Bound);
        var after = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        context.Run(_ => after.TrySetResult(), null);
        await after.Task.WaitAsync(Bound); // the context was not left wedged, running nothing
    }
}
