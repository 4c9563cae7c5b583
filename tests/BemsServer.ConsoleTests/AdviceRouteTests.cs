using System.Net.Http.Json;
using System.Text.Json;

namespace BemsServer.ConsoleTests;

/// <summary>
/// A host whose byte limit on a connection's queue is far above the advice's frame threshold, so that a client that never
/// reads is reported before the server cuts it off (with the default 4 MB, 60 KB frames reach the cut first).
/// </summary>
public sealed class AdviceHost() : BemsHost(new() { ["Bems:Transport:MaxQueuedBytes"] = "268435456" });

/// <summary><c>GET /admin/t/{tenant}/advice</c>: what a test suite asserts to prove its client made no protocol mistake.</summary>
public sealed class AdviceRouteTests(AdviceHost host) : IClassFixture<AdviceHost>, IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(20) };

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task WellBehavedClient_HasNoAdvice()
    {
        var uri = host.NewTenant(out var tenant);
        await using var alice = await host.SignInAsync(uri, "alice@example.com");
        await alice.CallAsync("SendMessage", new { contactId = "echo@example.com", message = "hi", messageId = "m1" });
        var echoed = await alice.EventAsync("MessageReceived");
        await alice.CallAsync("MessageAck", new { messageId = echoed.Data!["messageId"]!.GetValue<string>(), status = "delivered" });
        var (last, _) = await alice.CallAsync("Ping", new { dependencies = "c1" });
        await FiledAsync(tenant, $"kind=complete&id={last.Id}");

        (await AdviceAsync(tenant)).Should().BeEmpty();
    }

    [Fact]
    public async Task RequestBeforeBeginSession_IsReportedWithItsFrameAndRule()
    {
        var uri = host.NewTenant(out var tenant);
        await using var client = await host.ConnectAsync(uri);
        var id = await client.SendAsync("GetContactList");
        await client.ResponseToAsync(id);
        await FiledAsync(tenant, $"kind=error&id={id}");

        var advice = (await AdviceAsync(tenant)).Should().ContainSingle().Subject;
        advice.GetProperty("rule").GetString().Should().Be("request-before-session");
        advice.GetProperty("spec").GetString().Should().StartWith("§3 Session lifecycle");
        advice.GetProperty("frame").GetProperty("method").GetString().Should().Be("GetContactList");
        advice.GetProperty("frame").GetProperty("id").GetString().Should().Be(id);
    }

    [Fact]
    public async Task ReusedIdMissingMessageIdAndUnknownParameter_AreEachReported()
    {
        var uri = host.NewTenant(out var tenant);
        await using var alice = await host.SignInAsync(uri, "alice@example.com");
        // ignore@ never answers: the first SendMessage stays in flight while its id is reused.
        await alice.SendAsync("SendMessage", new { contactId = "ignore@example.com", message = "one", messageId = "m1" }, id: "dup");
        await alice.WaitForAsync(f => f.Id == "dup" && f.State == "PROCESSING", "PROCESSING of dup");
        await alice.SendAsync("Ping", id: "dup");
        await alice.WaitForAsync(f => f.Id == "dup" && f.State == "COMPLETE" && f.Method == "Ping", "Ping COMPLETE");
        await alice.RequestAsync("SendMessage", new { contactId = "echo@example.com", message = "no id" });
        var (last, _) = await alice.CallAsync("SetPresence", new { presence = "Available", mood = "happy" });
        await FiledAsync(tenant, $"kind=complete&id={last.Id}");

        var rules = (await AdviceAsync(tenant)).Select(a => a.GetProperty("rule").GetString()).ToList();
        rules.Should().BeEquivalentTo(["reused-request-id", "sendmessage-without-messageid", "unknown-parameter"]);
        var unknown = (await AdviceAsync(tenant, "?rule=unknown-parameter")).Should().ContainSingle().Subject;
        unknown.GetProperty("detail").GetString().Should().Contain("'mood'");
    }

    [Fact]
    public async Task MessageReceivedNeverAcknowledged_IsReportedOnceTheConnectionCloses()
    {
        var uri = host.NewTenant(out var tenant);
        await using (var alice = await host.SignInAsync(uri, "alice@example.com"))
        {
            await alice.CallAsync("SendMessage", new { contactId = "echo@example.com", message = "hi", messageId = "m1" });
            await alice.EventAsync("MessageReceived");
            await FiledAsync(tenant, "method=MessageReceived");
            (await AdviceAsync(tenant)).Should().BeEmpty("the grace period has not passed and the connection is open");
        }
        await WaitAsync(async () => (await AdviceAsync(tenant)).Count > 0);

        var advice = (await AdviceAsync(tenant, "?user=alice@example.com")).Should().ContainSingle().Subject;
        advice.GetProperty("rule").GetString().Should().Be("message-not-acknowledged");
        advice.GetProperty("frame").GetProperty("result").GetProperty("data").GetProperty("method").GetString().Should().Be("MessageReceived");
    }

    [Fact]
    public async Task MessageReceivedNeverAcknowledged_IsReportedAfterTheGracePeriodOnTheServerClock()
    {
        var uri = host.NewTenant(out var tenant);
        await using var alice = await host.SignInAsync(uri, "alice@example.com");
        await alice.CallAsync("SendMessage", new { contactId = "echo@example.com", message = "hi", messageId = "m1" });
        await alice.EventAsync("MessageReceived");
        await FiledAsync(tenant, "method=MessageReceived");
        (await AdviceAsync(tenant)).Should().BeEmpty();

        host.Clock.Advance(Dashboard.Advisor.AckGrace + TimeSpan.FromSeconds(1));

        (await AdviceAsync(tenant)).Select(a => a.GetProperty("rule").GetString()).Should().Equal("message-not-acknowledged");
    }

    [Fact]
    public async Task ClientThatNeverReadsItsSocket_IsReported()
    {
        var uri = host.NewTenant(out var tenant);
        using var socket = new System.Net.WebSockets.ClientWebSocket();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await socket.ConnectAsync(uri, limit.Token);
        async Task SendAsync(string method, object parameters, string id) => await socket.SendAsync(
            JsonSerializer.SerializeToUtf8Bytes(new { method, @params = parameters, id, jsonrpc = "2.0" }),
            System.Net.WebSockets.WebSocketMessageType.Text, endOfMessage: true, limit.Token);

        // Never read: echo's 60 KB answers fill the socket's buffers, then pile up in the server's outbox.
        await SendAsync("BeginSession", new { gdAuthToken = "alice@example.com" }, "c0");
        var text = new string('x', 60_000);
        for (var i = 1; i <= 600; i++) await SendAsync("SendMessage", new { contactId = "echo@example.com", message = text, messageId = $"m{i}" }, $"c{i}");

        await WaitAsync(async () => (await AdviceAsync(tenant, "?rule=not-reading-socket")).Count > 0);
        var advice = (await AdviceAsync(tenant, "?rule=not-reading-socket")).Should().ContainSingle().Subject;
        advice.GetProperty("user").GetString().Should().Be("alice@example.com");
        advice.GetProperty("detail").GetString().Should().EndWith("frames are waiting to be written to this client.");
    }

    [Fact]
    public async Task AdviceRoute_IsInTheOpenApiDocument()
    {
        var document = await _http.GetFromJsonAsync<JsonElement>("/admin/openapi/v1.json");
        document.GetProperty("paths").TryGetProperty("/admin/advice", out _).Should().BeTrue();
        document.GetProperty("paths").TryGetProperty("/admin/t/{tenant}/advice", out _).Should().BeTrue();
    }

    private async Task<List<JsonElement>> AdviceAsync(string tenant, string query = "") =>
        (await _http.GetFromJsonAsync<List<JsonElement>>($"/admin/t/{tenant}/advice{query}"))!;

    /// <summary>Waits until the journal (which files frames off the hot path, in order) holds the frame: advice reads the journal.</summary>
    private async Task FiledAsync(string tenant, string query)
    {
        using var response = await _http.GetAsync($"/admin/t/{tenant}/journal/wait?{query}&timeout=15");
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Polls an admin read until it holds (a closed connection leaves the server's list a moment later), at most 15 s.</summary>
    private static async Task WaitAsync(Func<Task<bool>> condition)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (!await condition()) await Task.Delay(TimeSpan.FromMilliseconds(20), limit.Token);
    }
}
