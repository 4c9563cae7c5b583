using System.Net;
using System.Text.Json.Nodes;
using BemsServer.Diagnostics;

namespace BemsServer.IntegrationTests.Admin;

/// <summary><c>GET /admin/journal.har</c>: a tenant's WebSocket traffic as HAR 1.2, the way Chrome DevTools exports it.</summary>
public sealed class JournalHarTests(BemsHost host) : IClassFixture<BemsHost>
{
    [Fact]
    public async Task JournalHar_TwoConnectionsSession_OneEntryPerConnectionWithEveryFrameInOrder()
    {
        var uri = host.NewTenant(out var name);
        using var admin = AdminApi.For(host, name);
        await using var alice = await host.ConnectAsync(uri);
        string[] aliceSent =
        [
            """{"id":"c1","method":"BeginSession","params":{"gdAuthToken":"alice@example.com"},"jsonrpc":"2.0"}""",
            """{"id":"c2","method":"SendMessage","params":{"contactId":"echo@example.com","message":"Are you there?","messageId":"m1"},"jsonrpc":"2.0"}""",
        ];
        await alice.SendRawAsync(aliceSent[0]);
        await alice.WaitForAsync(static f => f.Id == "c1" && f.State == "COMPLETE", "BeginSession COMPLETE");
        host.Clock.Advance(TimeSpan.FromSeconds(1.25)); // frames at distinct times, so the HAR's times are checked
        await alice.SendRawAsync(aliceSent[1]);
        await alice.EventAsync("MessageReceived");
        await alice.WaitForAsync(static f => f.Id == "c2" && f.State == "COMPLETE", "SendMessage COMPLETE");
        host.Clock.Advance(TimeSpan.FromSeconds(2));
        await using var bob = await host.ConnectAsync(uri);
        const string bobSent = """{"id":"b1","method":"BeginSession","params":{"gdAuthToken":"bob@example.com"},"jsonrpc":"2.0"}""";
        await bob.SendRawAsync(bobSent);
        await bob.WaitForAsync(static f => f.Id == "b1" && f.State == "COMPLETE", "BeginSession COMPLETE");
        var journal = (await admin.GetAsync("journal"))["entries"]!.AsArray().Select(static e => e!).ToList();

        using var response = await admin.Http.GetAsync(new Uri(admin.Prefix + "journal.har", UriKind.Relative)).WaitAsync(TimeSpan.FromSeconds(30));
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/json");
        response.Content.Headers.ContentDisposition!.FileName.Should().Be($"bems-{name}.har");
        var log = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["log"]!;

        log["version"]!.GetValue<string>().Should().Be("1.2");
        log["creator"]!["name"]!.GetValue<string>().Should().Be("BemsServer");
        log["creator"]!["version"]!.GetValue<string>().Should().Be(ServerVersion.Informational);
        var entries = log["entries"]!.AsArray().Select(static e => e!).ToList();
        var connections = journal.Select(static e => e["connection"]!.GetValue<string>()).Distinct().ToList();
        connections.Should().HaveCount(2);
        entries.Select(static e => e["connection"]!.GetValue<string>()).Should().Equal(connections, "one entry per connection, in order of their first frame");
        foreach (var (entry, connection) in entries.Zip(connections))
        {
            entry["_resourceType"]!.GetValue<string>().Should().Be("websocket");
            entry["request"]!["method"]!.GetValue<string>().Should().Be("GET");
            entry["request"]!["url"]!.GetValue<string>().Should().Be(uri.AbsoluteUri);
            entry["response"]!["status"]!.GetValue<int>().Should().Be(101);
            var frames = journal.Where(e => e["connection"]!.GetValue<string>() == connection).ToList();
            var messages = entry["_webSocketMessages"]!.AsArray().Select(static m => m!).ToList();
            messages.Select(static m => m["type"]!.GetValue<string>())
                .Should().Equal(frames.Select(static f => f["direction"]!.GetValue<string>() == "in" ? "send" : "receive"));
            messages.Select(static m => m["opcode"]!.GetValue<int>()).Should().OnlyContain(static o => o == 1);
            messages.Select(static m => JsonNode.Parse(m["data"]!.GetValue<string>()))
                .Should().Equal(frames.Select(static f => f["frame"]), static (a, b) => JsonNode.DeepEquals(a, b));
            foreach (var (message, frame) in messages.Zip(frames))
            {
                var at = DateTimeOffset.Parse(frame["time"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
                message["time"]!.GetValue<double>().Should().BeApproximately((at - DateTimeOffset.UnixEpoch).TotalSeconds, 0.000_01);
            }
            DateTimeOffset.Parse(entry["startedDateTime"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)
                .Should().Be(DateTimeOffset.Parse(frames[0]["time"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));
        }

        // The frames exactly as they crossed each socket: what each client sent, and what it received, in order.
        Texts(entries[0], "send").Should().Equal(aliceSent);
        Texts(entries[0], "receive").Should().Equal(alice.History.Select(static f => f.Text));
        Texts(entries[1], "send").Should().Equal(bobSent);
        Texts(entries[1], "receive").Should().Equal(bob.History.Select(static f => f.Text));
        var aliceTimes = entries[0]["_webSocketMessages"]!.AsArray().Select(static m => m!["time"]!.GetValue<double>()).ToList();
        aliceTimes.Should().BeInAscendingOrder();
        (aliceTimes[^1] - aliceTimes[0]).Should().BeApproximately(1.25, 0.001, "the clock moved 1.25 s between the sign-in and the message");
    }

    [Fact]
    public async Task JournalHar_DefaultTenant_ServedAtTheAdminRootWithTheRootWebSocketUrl()
    {
        using var admin = AdminApi.For(host);
        await using var carol = await host.SignInAsync(host.DefaultUri, "carol@example.com");

        var har = await admin.GetAsync("journal.har");

        var entry = har["log"]!["entries"]!.AsArray().Should().ContainSingle().Subject!;
        entry["request"]!["url"]!.GetValue<string>().Should().Be(host.DefaultUri.AbsoluteUri);
        entry["comment"]!.GetValue<string>().Should().Be("user carol@example.com");
        entry["_webSocketMessages"]!.AsArray().Select(static m => m!["type"]!.GetValue<string>()).Should().Equal("send", "receive", "receive");
    }

    private static List<string> Texts(JsonNode entry, string type) => [.. entry["_webSocketMessages"]!.AsArray()
        .Where(m => m!["type"]!.GetValue<string>() == type).Select(static m => m!["data"]!.GetValue<string>())];
}
