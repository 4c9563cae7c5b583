using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace BemsServer.ConsoleTests;

/// <summary>The console in a real browser against the real server; each test takes its own tenant.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ConsoleBrowserTests(BrowserFixture browser, BemsHost host) : IClassFixture<BemsHost>
{
    private readonly BemsHost _host = host;

    private string ConsoleUrl(string tenant, string extra = "") => $"{_host.BaseAddress}console/?tenant={tenant}{extra}";

    [Fact]
    public async Task FrameFromRealClient_AppearsInTheConsoleWithinASecond()
    {
        var uri = _host.NewTenant(out var tenant);
        await ConsolePage.RunAsync(browser, ConsoleUrl(tenant), async page =>
        {
            await using var alice = await _host.SignInAsync(uri, "alice@example.com");
            var clock = Stopwatch.StartNew();
            await alice.SendAsync("Ping");
            await Expect(page.Row("Ping", "in")).ToBeVisibleAsync(new() { Timeout = 1000 });
            clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(1));
        });
    }

    [Fact]
    public async Task ClickingARequest_ShowsItsLinkedProcessingAndComplete()
    {
        var uri = _host.NewTenant(out var tenant);
        await ConsolePage.RunAsync(browser, ConsoleUrl(tenant), async page =>
        {
            await using var alice = await _host.SignInAsync(uri, "alice@example.com");
            await alice.CallAsync("Ping");
            await page.Row("Ping", "in").ClickAsync();
            await Expect(page.Locator("#detail-json")).ToContainTextAsync("\"method\": \"Ping\"");
            await Expect(page.Locator("#related li[data-kind=response][data-state=PROCESSING]")).ToHaveCountAsync(1);
            await Expect(page.Locator("#related li[data-kind=complete][data-state=COMPLETE]")).ToHaveCountAsync(1);
            await Expect(page.Locator("#frames tr.linked")).ToHaveCountAsync(2);
        });
    }

    [Fact]
    public async Task SendAsBob_ReachesAlice_WithTheFramesARealPeerCauses()
    {
        // A real bob, for reference.
        var realUri = _host.NewTenant(out _);
        await using var realAlice = await _host.SignInAsync(realUri, "alice@example.com");
        await using var realBob = await _host.SignInAsync(realUri, "bob@example.com");
        await realBob.SendAsync("SendMessage", new { contactId = "alice@example.com", message = "hello alice", messageId = "m1" });
        var expected = await AliceSideAsync(realAlice);

        var uri = _host.NewTenant(out var tenant);
        await using var alice = await _host.SignInAsync(uri, "alice@example.com");
        await ConsolePage.RunAsync(browser, ConsoleUrl(tenant), async page =>
        {
            await page.FillAsync("#act-as", "bob@example.com");
            await page.SelectOptionAsync("#act-action", "send");
            await page.FillAsync("#act-to", "alice@example.com");
            await page.FillAsync("#act-text", "hello alice");
            await page.ClickAsync("#act-go");
            var actual = await AliceSideAsync(alice);
            actual.Should().Equal(expected);
            await Expect(page.Row("MessageReceived", "out")).ToBeVisibleAsync();
        });
    }

    [Fact]
    public async Task FaultRuleAddedInThePage_ChangesTheNextSendMessagesOutcome()
    {
        var uri = _host.NewTenant(out var tenant);
        await ConsolePage.RunAsync(browser, ConsoleUrl(tenant), async page =>
        {
            await page.FillAsync("#fault-method", "SendMessage");
            await page.SelectOptionAsync("#fault-action", "error");
            await page.ClickAsync("#fault-add");
            await Expect(page.Locator("#faults li")).ToContainTextAsync("SendMessage → error");
            await using var alice = await _host.SignInAsync(uri, "alice@example.com");
            var answer = await alice.RequestAsync("SendMessage", new { contactId = "echo@example.com", message = "hi", messageId = "m1" });
            answer.Json["error"]?["message"]?.GetValue<string>().Should().Be("Injected fault");
        });
    }

    [Fact]
    public async Task ClockAdvancedInThePage_FiresTheInvitationTimeout()
    {
        var uri = _host.NewTenant(out var tenant);
        await ConsolePage.RunAsync(browser, ConsoleUrl(tenant), async page =>
        {
            await using var alice = await _host.SignInAsync(uri, "alice@example.com");
            var id = await alice.SendAsync("SendMessage", new { contactId = "ignore@example.com", message = "anyone?", messageId = "m1" });
            await alice.WaitForAsync(f => f.Id == id && f.State == "PROCESSING", "PROCESSING");
            await page.FillAsync("#clock-by", "00:01:01");
            await page.ClickAsync("#clock-advance");
            var update = await alice.WaitForAsync(f => f.Method == "MessageUpdate", "MessageUpdate");
            update.Data!["messageId"]!.GetValue<string>().Should().Be("m1");
            await Expect(page.Row("MessageUpdate", "out")).ToBeVisibleAsync();
        });
    }

    [Fact]
    public async Task ProtocolMistake_ShowsUnderAdvice()
    {
        var uri = _host.NewTenant(out var tenant);
        await ConsolePage.RunAsync(browser, ConsoleUrl(tenant), async page =>
        {
            await using var client = await _host.ConnectAsync(uri);
            await client.RequestAsync("Ping");
            var advice = page.Locator("#advice li.advice[data-rule=request-before-session]");
            await Expect(advice).ToContainTextAsync("Request before BeginSession");
            await Expect(advice).ToContainTextAsync("§3 Session lifecycle");
        });
    }

    [Fact]
    public async Task UserFilter_HidesOtherUsersFrames()
    {
        var uri = _host.NewTenant(out var tenant);
        await ConsolePage.RunAsync(browser, ConsoleUrl(tenant), async page =>
        {
            await using var alice = await _host.SignInAsync(uri, "alice@example.com");
            await using var bob = await _host.SignInAsync(uri, "bob@example.com");
            await Expect(page.Locator("#frames tr.frame", new() { HasText = "bob@example.com" }).First).ToBeVisibleAsync();
            await page.FillAsync("#f-user", "alice@example.com");
            await Expect(page.Locator("#frames tr.frame", new() { HasText = "bob@example.com" })).ToHaveCountAsync(0);
            await bob.CallAsync("Ping");
            await alice.CallAsync("Ping");
            await Expect(page.Row("Ping", "in")).ToHaveCountAsync(1);
            await Expect(page.Locator("#frames tr.frame", new() { HasText = "bob@example.com" })).ToHaveCountAsync(0);
            page.Url.Should().Contain("user=alice%40example.com");
        });
    }

    [Fact]
    public async Task DeepLink_RestoresTenantFilterFrameAndChat()
    {
        var uri = _host.NewTenant(out var tenant);
        await using var alice = await _host.SignInAsync(uri, "alice@example.com");
        await alice.CallAsync("SendMessage", new { contactId = "echo@example.com", message = "deep", messageId = "m1" });
        string link = "";
        await ConsolePage.RunAsync(browser, ConsoleUrl(tenant), async page =>
        {
            await page.FillAsync("#f-method", "SendMessage");
            await page.Row("SendMessage", "in").ClickAsync();
            await page.Locator("#chats li").First.ClickAsync();
            await Expect(page.Locator("#chat-detail")).ToContainTextAsync("echo@example.com");
            link = page.Url;
        });
        await ConsolePage.RunAsync(browser, link, async page =>
        {
            await Expect(page.Locator("#tenant")).ToHaveValueAsync(tenant);
            await Expect(page.Locator("#f-method")).ToHaveValueAsync("SendMessage");
            await Expect(page.Locator("#frames tr.frame.selected")).ToHaveAttributeAsync("data-method", "SendMessage");
            await Expect(page.Locator("#detail-json")).ToContainTextAsync("\"message\": \"deep\"");
            await Expect(page.Locator("#chat-detail")).ToContainTextAsync("echo@example.com");
            await Expect(page.Locator("#chats li.selected")).ToHaveCountAsync(1);
        });
    }

    [Fact]
    public async Task DroppedHubConnection_ReconnectsAndResynchronisesWithoutAReload()
    {
        var uri = _host.NewTenant(out var tenant);
        var sockets = new System.Collections.Concurrent.ConcurrentQueue<IWebSocketRoute>();
        await ConsolePage.RunAsync(browser, ConsoleUrl(tenant),
            context => context.RouteWebSocketAsync(new System.Text.RegularExpressions.Regex("/console/hub"), ws =>
            {
                sockets.Enqueue(ws);
                ws.ConnectToServer();
            }),
            async page =>
            {
                await page.EvaluateAsync("() => window.loadedOnce = true");
                sockets.TryPeek(out var first).Should().BeTrue();
                await first!.CloseAsync(new() { Code = 4000, Reason = "dropped by the test" });
                await using var alice = await _host.SignInAsync(uri, "alice@example.com");
                await alice.CallAsync("Ping");
                await Expect(page.Row("Ping", "in")).ToBeVisibleAsync();
                await Expect(page.Locator("#status")).ToHaveTextAsync("live");
                sockets.Count.Should().BeGreaterThan(1, "the page opened a new hub connection");
                (await page.EvaluateAsync<bool>("() => window.loadedOnce === true")).Should().BeTrue("the page was not reloaded");
            });
    }

    [Fact]
    public async Task CertificationPage_ListsTheRunsVerdicts_AFrameLinkOpensThatFrameInTheConsole()
    {
        var uri = _host.NewTenant(out var tenant);
        using var http = new HttpClient { BaseAddress = _host.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        using (var started = await http.PostAsJsonAsync($"admin/t/{tenant}/certify", new { user = "alice@example.com", cases = new[] { "accepts-invitation", "well-formed-requests" } }))
            started.EnsureSuccessStatusCode();
        await using var alice = await _host.SignInAsync(uri, "alice@example.com");
        await alice.SendRawAsync("""{"method":"Ping","params":[],"id":"bad-1","jsonrpc":"2.0"}""");
        var invitation = await alice.EventAsync("InvitationReceived");
        await alice.CallAsync("AcceptChat", new { requestId = invitation.Data!["requestId"]!.GetValue<string>() });
        var journal = await http.GetFromJsonAsync<JsonObject>($"admin/t/{tenant}/journal?id=bad-1&direction=in");
        var bad = journal!["entries"]![0]!["seq"]!.GetValue<long>();

        await ConsolePage.RunAsync(browser, $"{_host.BaseAddress}console/certify.html?tenant={tenant}", async page =>
        {
            var failed = page.Locator("tr.verdict.fail[data-case=well-formed-requests]");
            await Expect(failed).ToContainTextAsync($"#{bad}: params is not an object");
            await Expect(page.Locator("tr.verdict.pass[data-case=accepts-invitation]")).ToBeVisibleAsync();
            await failed.Locator($"a:text-is('#{bad}')").ClickAsync();
            await Expect(page.Locator("#detail-title")).ToContainTextAsync($"#{bad} from");
        });
    }

    [Fact]
    public async Task DownloadHar_SavesTheTenantsFramesAsAHarFile()
    {
        var uri = _host.NewTenant(out var tenant);
        await ConsolePage.RunAsync(browser, ConsoleUrl(tenant), async page =>
        {
            await using var alice = await _host.SignInAsync(uri, "alice@example.com");
            await alice.CallAsync("Ping");
            await Expect(page.Row("Ping", "in")).ToBeVisibleAsync();

            var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#har-download").ClickAsync());

            download.SuggestedFilename.Should().Be($"bems-{tenant}.har");
            var har = JsonNode.Parse(await File.ReadAllTextAsync(await download.PathAsync()))!["log"]!;
            har["version"]!.GetValue<string>().Should().Be("1.2");
            var entry = har["entries"]!.AsArray().Should().ContainSingle().Subject!;
            entry["request"]!["url"]!.GetValue<string>().Should().Be(uri.AbsoluteUri);
            entry["_webSocketMessages"]!.AsArray().Select(static m => m!["type"]!.GetValue<string>())
                .Should().Equal("send", "receive", "receive", "send", "receive", "receive");
        });
    }

    [Fact]
    public async Task GnpNotifyFromAnAppServer_ShowsInThePushesPanel_NewestFirst_WithItsTokenSourceAndText()
    {
        _host.NewTenant(out var tenant);
        using var http = new HttpClient { BaseAddress = _host.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        using (var added = await http.PostAsJsonAsync($"admin/t/{tenant}/pushes/tokens", new { token = "gnp-alice", userId = "alice@example.com" }))
            added.EnsureSuccessStatusCode();
        var longText = "Quarterly report: " + new string('x', 200);
        await ConsolePage.RunAsync(browser, ConsoleUrl(tenant), async page =>
        {
            // The panels' first refresh is done: what shows from now on came with a later one (no Connect frame causes it).
            await Expect(page.Locator("#push-count")).ToHaveTextAsync("(none)");

            await NotifyAsync(http, tenant, "gnp-alice", "Your report is ready ✓");
            await NotifyAsync(http, tenant, "gnp-alice", longText);

            var rows = page.Locator("#pushes li.push");
            await Expect(rows).ToHaveCountAsync(2);
            var logged = (await http.GetFromJsonAsync<JsonArray>($"admin/t/{tenant}/pushes"))!;
            (await PushCells(rows.Nth(0))).Should().Equal(
                ServerTime(logged[1]!), "notify", "sip:alice@example.com", "gnp-alice", longText[..99] + "…");
            (await PushCells(rows.Nth(1))).Should().Equal(
                ServerTime(logged[0]!), "notify", "sip:alice@example.com", "gnp-alice", "Your report is ready ✓");
            await Expect(rows.Nth(0).Locator(".text")).ToHaveAttributeAsync("title", longText);
            await Expect(rows.Nth(0)).ToHaveAttributeAsync("data-source", "notify");
            await Expect(page.Locator("#push-count")).ToHaveTextAsync("(2)");
        });
    }

    [Fact]
    public async Task DirectoryLookupCall_ShowsInTheFrameList_AsAnHttpRequestAndTheResponseThatAnswersIt()
    {
        _host.NewTenant(out var tenant);
        using var http = new HttpClient { BaseAddress = _host.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        const string Body = """{"Account":"alice@example.com","SearchKey":"Bob","UserShape":["FullName","EmailAddress"]}""";
        await ConsolePage.RunAsync(browser, ConsoleUrl(tenant), async page =>
        {
            using (var lookup = new HttpRequestMessage(HttpMethod.Post, $"t/{tenant}/api/lookupuser") { Content = new StringContent(Body, Encoding.UTF8, "application/json") })
            {
                lookup.Headers.Add("X-Good-GD-AuthToken", "alice@example.com");
                using var answer = await http.SendAsync(lookup);
                answer.EnsureSuccessStatusCode();
            }

            var request = page.Row("POST /api/lookupuser", "in");
            var response = page.Row("POST /api/lookupuser", "out");
            await Expect(request).ToBeVisibleAsync();
            await Expect(response).ToBeVisibleAsync();
            var journal = (await http.GetFromJsonAsync<JsonObject>($"admin/t/{tenant}/journal?connection=http"))!["entries"]!.AsArray();
            var id = journal[0]!["id"]!.GetValue<string>();
            (await Cells(request)).Skip(2).Should().Equal("→", "alice@example.com", "POST /api/lookupuser", id, "request", Body);
            (await Cells(response)).Skip(2).Should().Equal(
                "←", "alice@example.com", "POST /api/lookupuser", id, "200", """[{"FullName":"Bob Brown","EmailAddress":"bob@example.com"}]""");
            await Expect(request).ToHaveAttributeAsync("data-kind", "request");
            await Expect(request.Locator("td").Nth(3)).ToHaveAttributeAsync("title", "http");

            await request.ClickAsync();
            await Expect(page.Locator("#related li[data-kind=response]")).ToHaveTextAsync($"#{journal[1]!["seq"]} out POST /api/lookupuser response 200");
            await Expect(page.Locator("#frames tr.linked")).ToHaveCountAsync(1);
            await Expect(page.Locator("#detail-json")).ToContainTextAsync("\"http\": \"POST /t/" + tenant + "/api/lookupuser\"");
        });
    }

    private static async Task NotifyAsync(HttpClient http, string tenant, string token, string text)
    {
        using var notify = new HttpRequestMessage(HttpMethod.Post, $"t/{tenant}/GNP1.0?method=notify") { Content = new StringContent(text, Encoding.UTF8, "text/plain") };
        notify.Headers.Add("X-Good-GNP-Token", token);
        using var answer = await http.SendAsync(notify);
        answer.Headers.GetValues("X-Good-GNP-Code").Should().Equal("100 OK");
    }

    private static Task<IReadOnlyList<string>> Cells(ILocator row) => row.Locator("td").AllInnerTextsAsync();

    /// <summary>A push's parts as the panel shows them: time, source, user, token, text.</summary>
    private static Task<IReadOnlyList<string>> PushCells(ILocator push) => push.Locator(".time, .source, .user, .token, .text").AllInnerTextsAsync();

    /// <summary>A record's server time as the console shows it (UTC, to the millisecond).</summary>
    private static string ServerTime(JsonNode record) =>
        record["time"]!.GetValue<DateTimeOffset>().UtcDateTime.ToString("HH:mm:ss.fff", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>What alice's device sees of bob's first message: the invitation, her accept, the message (ids and times masked).</summary>
    private static async Task<List<string>> AliceSideAsync(WireClient alice)
    {
        var invitation = await alice.EventAsync("InvitationReceived");
        await alice.CallAsync("AcceptChat", new { requestId = invitation.Data!["requestId"]!.GetValue<string>() });
        var message = await alice.EventAsync("MessageReceived");
        return [Mask(invitation), Mask(message)];
    }

    private static string Mask(Frame frame)
    {
        var json = (JsonObject)frame.Json.DeepClone();
        json["id"] = "S*";
        json["sequence"] = 0;
        if (json["result"]?["data"] is JsonObject data)
            foreach (var key in new[] { "requestId", "chatId", "timestamp", "messageId" })
                if (data.ContainsKey(key)) data[key] = "*";
        return json.ToJsonString();
    }
}
