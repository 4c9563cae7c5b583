using System.Net;
using System.Threading.Channels;
using BemsServer.Control;
using BemsServer.Dashboard;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace BemsServer.ConsoleTests;

/// <summary>The console's hub without a browser: each subscriber gets only the frames its filter matches.</summary>
public sealed class HubTests(BemsHost host) : IClassFixture<BemsHost>
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task EachSubscriber_GetsOnlyTheFramesItsFilterMatches()
    {
        var uri = host.NewTenant(out var tenant);
        await using var aliceWatcher = await WatchAsync(new ConsoleFilter(tenant, User: "alice@example.com"));
        await using var pingWatcher = await WatchAsync(new ConsoleFilter(tenant, Method: "Ping", Direction: "in"));
        await using var otherTenant = await WatchAsync(new ConsoleFilter(host.Emulator.NewTenant().Name));

        await using var alice = await host.SignInAsync(uri, "alice@example.com");
        await using var bob = await host.SignInAsync(uri, "bob@example.com");
        await bob.CallAsync("Ping");
        await alice.CallAsync("Ping");

        // alice's watcher: her four BeginSession/Ping frames in and out, nothing of bob's.
        var aliceRows = await aliceWatcher.RowsUntilAsync(rows => rows.Count(r => r.Method == "Ping") == 3);
        aliceRows.Should().OnlyContain(r => r.User == "alice@example.com");
        // the Ping watcher: both inbound Pings, nothing else.
        var pings = await pingWatcher.RowsUntilAsync(rows => rows.Count >= 2);
        pings.Should().HaveCount(2).And.OnlyContain(r => r.Method == "Ping" && r.Direction == "in");
        pings.Select(r => r.User).Should().Equal("bob@example.com", "alice@example.com");
        otherTenant.Rows.Should().BeEmpty();
    }

    [Fact]
    public async Task Subscribe_ReturnsTheRecentMatchingFrames()
    {
        var uri = host.NewTenant(out var tenant);
        await using var alice = await host.SignInAsync(uri, "alice@example.com");
        var (ping, _) = await alice.CallAsync("Ping");
        using var http = new HttpClient { BaseAddress = host.BaseAddress, Timeout = Limit };
        (await http.GetAsync($"/admin/t/{tenant}/journal/wait?kind=complete&id={ping.Id}")).EnsureSuccessStatusCode();

        await using var watcher = await WatchAsync(new ConsoleFilter(tenant, Method: "Ping"));

        watcher.Snapshot.Frames.Select(r => $"{r.Direction} {r.Kind} {r.State}").Should().Equal("in request ", "out response PROCESSING", "out complete COMPLETE");
        var detail = await watcher.Connection.InvokeAsync<FrameDetail?>("Frame", tenant, watcher.Snapshot.Frames[0].Seq).WaitAsync(Limit);
        detail!.Related.Select(r => r.State).Should().Equal("PROCESSING", "COMPLETE");
    }

    [Fact]
    public async Task NoBrowserWatching_LeavesTheJournalFeedOff()
    {
        var feed = host.Services.GetRequiredService<BemsServer.Control.JournalFeed>();
        await using (var watcher = await WatchAsync(new ConsoleFilter("default")))
        {
            feed.Active.Should().BeTrue();
        }
        await WaitUntilAsync(() => !feed.Active);
        feed.Active.Should().BeFalse();
    }

    private async Task<Watcher> WatchAsync(ConsoleFilter filter)
    {
        var connection = new HubConnectionBuilder().WithUrl(new Uri(host.BaseAddress, "console/hub")).Build();
        var watcher = new Watcher(connection);
        connection.On<FrameBatch>("Frames", batch => watcher.Batches.Writer.TryWrite(batch));
        await connection.StartAsync().WaitAsync(Limit);
        watcher.Snapshot = await connection.InvokeAsync<ConsoleSnapshot>("Subscribe", filter).WaitAsync(Limit);
        return watcher;
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var limit = new CancellationTokenSource(Limit);
        while (!condition()) await Task.Delay(TimeSpan.FromMilliseconds(20), limit.Token);
    }

    private sealed class Watcher(HubConnection connection) : IAsyncDisposable
    {
        public HubConnection Connection { get; } = connection;
        public ConsoleSnapshot Snapshot { get; set; } = null!;
        public Channel<FrameBatch> Batches { get; } = Channel.CreateUnbounded<FrameBatch>();
        public List<FrameRow> Rows { get; } = [];

        public async Task<List<FrameRow>> RowsUntilAsync(Func<List<FrameRow>, bool> done)
        {
            using var limit = new CancellationTokenSource(Limit);
            while (!done(Rows)) Rows.AddRange((await Batches.Reader.ReadAsync(limit.Token)).Frames);
            return Rows;
        }

        public ValueTask DisposeAsync() => Connection.DisposeAsync();
    }
}

/// <summary>With <c>Bems:Admin:Token</c> the page is served to anyone but the hub needs the token.</summary>
public sealed class TokenHost() : BemsHost(new Dictionary<string, string?> { ["Bems:Admin:Token"] = "s3cret" });

public sealed class ConsoleGuardTests(TokenHost host) : IClassFixture<TokenHost>
{
    [Fact]
    public async Task WithAToken_PageIsServedButTheHubNeedsTheToken()
    {
        using var http = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(15) };
        (await http.GetAsync("/console/")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await http.PostAsync("/console/hub/negotiate?negotiateVersion=1", null)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await http.PostAsync("/console/hub/negotiate?negotiateVersion=1&access_token=wrong", null)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await http.PostAsync("/console/hub/negotiate?negotiateVersion=1&access_token=s3cret", null)).StatusCode.Should().Be(HttpStatusCode.OK);

        var hub = new HubConnectionBuilder().WithUrl(new Uri(host.BaseAddress, "console/hub"), o => o.AccessTokenProvider = () => Task.FromResult<string?>("s3cret")).Build();
        await using (hub)
        {
            await hub.StartAsync().WaitAsync(TimeSpan.FromSeconds(15));
            var snapshot = await hub.InvokeAsync<ConsoleSnapshot>("Subscribe", new ConsoleFilter("default")).WaitAsync(TimeSpan.FromSeconds(15));
            snapshot.Tenant.Should().Be("default");
        }
    }
}
