using BemsServer.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace BemsServer.Tests.Hosting;

/// <summary>
/// Where <see cref="InlineIo.OffEventThread"/> runs the rest of a request. Each request is started from a thread of its own,
/// standing for the socket engine's thread that read it.
/// </summary>
public sealed class InlineIoTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task OffEventThread_APlainRequest_RunsOnTheThreadPool()
    {
        var (ranOn, caller, pool) = await RunFromOwnThreadAsync(new DefaultHttpContext());

        ranOn.Should().NotBe(caller, "the request is handed off the thread that read it");
        pool.Should().BeTrue();
    }

    [Fact]
    public async Task OffEventThread_AnUpgrade_RunsWhereItWasRead()
    {
        var context = new DefaultHttpContext();
        context.Features.Set<IHttpUpgradeFeature>(new Upgradable());

        var (ranOn, caller, pool) = await RunFromOwnThreadAsync(context);

        ranOn.Should().Be(caller, "an upgrade's request lasts as long as its connection: nothing waits on it in between");
        pool.Should().BeFalse();
    }

    private static async Task<(int RanOn, int Caller, bool Pool)> RunFromOwnThreadAsync(HttpContext context)
    {
        var ran = new TaskCompletionSource<(int, bool)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var caller = 0;
        var thread = new Thread(() =>
        {
            caller = Environment.CurrentManagedThreadId;
            _ = InlineIo.OffEventThread(context, _ =>
            {
                ran.SetResult((Environment.CurrentManagedThreadId, Thread.CurrentThread.IsThreadPoolThread));
                return Task.CompletedTask;
            });
        });
        thread.Start();
        var (ranOn, pool) = await ran.Task.WaitAsync(Bound);
        thread.Join(Bound).Should().BeTrue();
        return (ranOn, caller, pool);
    }

    private sealed class Upgradable : IHttpUpgradeFeature
    {
        public bool IsUpgradableRequest => true;

        public Task<Stream> UpgradeAsync() => throw new NotSupportedException();
    }
}
