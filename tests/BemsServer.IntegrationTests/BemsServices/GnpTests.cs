using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using BemsServer.Features.Background;
using BemsServer.IntegrationTests.Admin;
using BemsServer.Services;
using BemsServer.Tenancy;
using Microsoft.Extensions.DependencyInjection;

namespace BemsServer.IntegrationTests.BemsServices;

/// <summary>
/// GNP: notify and checkToken on the tokens a tenant knows, verifyGDAuthToken, the tenant's one push log whatever the
/// source, and the live push channel, up to Connect's background → push → reconnect loop.
/// </summary>
public sealed class GnpTests(BemsHost host) : IClassFixture<BemsHost>
{
    private static (string, string)[] Gnp(string token) => [("X-Good-GNP-Token", token)];

    private static async Task<JsonArray> PushesAsync(AdminApi admin)
    {
        var records = (await admin.GetAsync("pushes")).AsArray();
        foreach (var record in records) record!.AsObject().Remove("time");
        return records;
    }

    [Fact]
    public async Task Notify_ToAnUnknownToken_Answers402InvalidToken_AndPushesNothing()
    {
        host.NewTenant(out var name);
        using var http = new ServiceHttp(host, name);
        using var admin = AdminApi.For(host, name);

        var answer = await http.PostAsync("/GNP1.0?method=notify", "hello", Gnp("never-seen"), "text/plain; charset=utf-8");
        var check = await http.GetAsync("/GNP1.0?method=checkToken", Gnp("never-seen"));

        answer.Status.Should().Be(HttpStatusCode.OK);
        answer.Header("X-Good-GNP-Code").Should().Be("402 Invalid Token");
        check.Header("X-Good-GNP-Code").Should().Be("402 Invalid Token");
        (await PushesAsync(admin)).Should().BeEmpty();
    }

    [Fact]
    public async Task Notify_ToATokenBeginSessionPresented_IsPushedOnTheChannelAndLoggedAsTheUsers()
    {
        var uri = host.NewTenant(out var name);
        using var http = new ServiceHttp(host, name);
        using var admin = AdminApi.For(host, name);
        await using var alice = await host.ConnectAsync(uri);
        await alice.CallAsync("BeginSession", new { gdAuthToken = "alice@example.com", gnpToken = "gnp-alice" });
        await using var channel = await http.FollowAsync("gnp-alice");

        var check = await http.GetAsync("/GNP1.0?method=checkToken", Gnp("gnp-alice"));
        var answer = await http.PostAsync("/GNP1.0?method=notify", "Your report is ready ✓", Gnp("gnp-alice"), "text/plain; charset=utf-8");

        check.Header("X-Good-GNP-Code").Should().Be("100 OK");
        answer.Status.Should().Be(HttpStatusCode.OK);
        answer.Header("X-Good-GNP-Code").Should().Be("100 OK");
        (await channel.ReadAsync(ServiceHttp.Bound)).Should().Be("Your report is ready ✓");
        (await PushesAsync(admin)).ToJsonString().Should().Be(
            """[{"userId":"sip:alice@example.com","gnpToken":"gnp-alice","event":"Notify","pushType":"","text":"Your report is ready \u2713","badge":0,"source":"notify"}]""");
    }

    [Fact]
    public async Task Notify_ToATokenTheAdminApiAdded_IsValid_OnTheDefaultTenantToo()
    {
        var token = "admin-made-" + Guid.NewGuid().ToString("N");
        using var http = new ServiceHttp(host, tenant: null);
        using var admin = AdminApi.For(host);
        await admin.PostAsync("pushes/tokens", new { token }, HttpStatusCode.Created);
        await using var channel = await http.FollowAsync(token);

        var answer = await http.PostAsync("/GNP1.0?method=notify", "ping", Gnp(token), "text/plain; charset=utf-8");

        answer.Header("X-Good-GNP-Code").Should().Be("100 OK");
        (await channel.ReadAsync(ServiceHttp.Bound)).Should().Be("ping");
        (await admin.GetAsync("pushes/tokens")).AsArray().Select(t => t!["token"]!.GetValue<string>()).Should().Contain(token);
    }

    [Theory]
    [InlineData("/GNP1.0", "The query lacks method=notify.")]
    [InlineData("/GNP1.0?method=checkToken", "method 'checkToken' is not served here; this route takes method=notify.")]
    public async Task Notify_WithoutItsMethod_Is400(string route, string detail)
    {
        host.NewTenant(out var name);
        using var http = new ServiceHttp(host, name);

        var answer = await http.PostAsync(route, "x", Gnp("t"), "text/plain");

        answer.Status.Should().Be(HttpStatusCode.BadRequest);
        answer.Body.Should().Contain(detail);
    }

    [Fact]
    public async Task Notify_WithoutAToken_Is400_AndAnOversizedMessage413()
    {
        host.NewTenant(out var name);
        using var http = new ServiceHttp(host, name);
        await using var alice = await host.ConnectAsync(host.TenantUri(name));
        await alice.CallAsync("BeginSession", new { gdAuthToken = "alice@example.com", gnpToken = "gnp-alice" });

        var missing = await http.PostAsync("/GNP1.0?method=notify", "x", [], "text/plain");
        var huge = await http.PostAsync("/GNP1.0?method=notify", new string('x', 4097), Gnp("gnp-alice"), "text/plain");

        missing.Status.Should().Be(HttpStatusCode.BadRequest);
        missing.Body.Should().Contain("X-Good-GNP-Token");
        huge.Status.Should().Be(HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task Notify_ABodyWithoutContentLength_IsBoundAsItArrives_TheMostTaken_OneByteMore413()
    {
        host.NewTenant(out var name);
        using var http = new ServiceHttp(host, name);
        using var admin = AdminApi.For(host, name);
        await admin.PostAsync("pushes/tokens", new { token = "gnp-1" }, HttpStatusCode.Created);
        var most = new string('x', GnpRoutes.MaxMessageBytes);

        var taken = await http.SendAsync(HttpMethod.Post, "/GNP1.0?method=notify", Encoding.UTF8.GetBytes(most), "text/plain", Gnp("gnp-1"), chunked: true);
        var over = await http.SendAsync(HttpMethod.Post, "/GNP1.0?method=notify", Encoding.UTF8.GetBytes(most + "x"), "text/plain", Gnp("gnp-1"), chunked: true);

        taken.Header("X-Good-GNP-Code").Should().Be("100 OK");
        over.Status.Should().Be(HttpStatusCode.RequestEntityTooLarge);
        JsonNode.Parse(over.Body)!["detail"]!.GetValue<string>().Should().Be("The body is larger than 4096 bytes.");
        (await PushesAsync(admin)).Select(static p => p!["text"]!.GetValue<string>()).Should().Equal(most);
    }

    [Fact]
    public async Task VerifyGDAuthToken_ATokenConnectAccepts_Is100OkWithTheUser_OtherwiseFailed401()
    {
        host.NewTenant(out var name);
        using var http = new ServiceHttp(host, name);

        var good = await http.GetAsync("/verifyGDAuthToken", [("X-Good-GD-AuthToken", "sip:Alice@example.com")]);
        var bad = await http.GetAsync("/verifyGDAuthToken", [("X-Good-GD-AuthToken", "not-a-user")]);

        good.Status.Should().Be(HttpStatusCode.OK);
        good.Header("X-Good-GD-AuthResponseCode").Should().Be("100 OK");
        good.Header("X-Good-GD-UserId").Should().Be("alice@example.com");
        bad.Status.Should().Be(HttpStatusCode.Unauthorized);
        bad.Header("X-Good-GD-AuthResponseCode").Should().Be("101 Authentication Failed");
    }

    [Fact]
    public async Task BackgroundSession_PushGoesToItsGnpChannel_ThenReconnectResumesWithWhatWaited()
    {
        var uri = host.NewTenant(out var name);
        using var http = new ServiceHttp(host, name);
        using var admin = AdminApi.For(host, name);
        var phone = await host.ConnectAsync(uri, "deviceToken=phone-1");
        await phone.CallAsync("BeginSession", new { gdAuthToken = "alice@example.com", gnpToken = "gnp-phone" });
        await phone.CallAsync("NotifyBackground", new { isBackgroundMode = true, pushType = 3 });
        await using var channel = await http.FollowAsync("gnp-phone");
        await phone.DisposeAsync();
        await using var bob = await host.SignInAsync(uri, "bob@example.com");

        var send = await bob.SendAsync("SendMessage", new { contactId = "alice@example.com", message = "Wake up", messageId = "m1" });

        (await channel.ReadAsync(ServiceHttp.Bound)).Should().Be("New chat invitation from Bob Brown", "the device hears of it on its GNP channel");
        await using var resumed = await host.ConnectAsync(uri, "deviceToken=phone-1");
        await resumed.SendAsync("Ping", new { reconnect = "true", gdAuthToken = "alice@example.com" });
        var invitation = await resumed.EventAsync("InvitationReceived");
        await resumed.CallAsync("NotifyBackground", new { isBackgroundMode = false });
        await resumed.CallAsync("AcceptChat", new { requestId = invitation.Data!["requestId"]!.GetValue<string>() });
        (await resumed.EventAsync("MessageReceived")).Data!["message"]!.GetValue<string>().Should().Be("Wake up");
        await bob.WaitForAsync(f => f.Id == send && f.State == "COMPLETE", "COMPLETE of the message sent while away");
        var pushes = await PushesAsync(admin);
        pushes.Should().ContainSingle();
        pushes[0]!["source"]!.GetValue<string>().Should().Be("connect");
        pushes[0]!["gnpToken"]!.GetValue<string>().Should().Be("gnp-phone");
    }

    [Fact]
    public async Task Tokens_AMalformedOne_AndANewOneBeyondTheCapacity_AreRefusedByEachEntryPointInItsOwnWords()
    {
        host.NewTenant(out var name);
        using var http = new ServiceHttp(host, name);
        using var admin = AdminApi.For(host, name);
        var tooLong = new string('t', PushTokens.MaxLength + 1);

        async Task<string> Refusals(string token)
        {
            var presence = await http.PostAsync("/presence/subscriptions", """{"contacts":["bob@example.com"],"notify":"n1"}""",
                ServiceHttp.Json("alice@example.com", ("X-Good-GNP-Token", token)));
            using var added = await admin.SendAsync(HttpMethod.Post, "pushes/tokens", new { token });
            var channel = async () => await http.FollowAsync(token);
            var refused = await channel.Should().ThrowAsync<System.Net.WebSockets.WebSocketException>();
            return string.Join("\n",
                $"presence {(int)presence.Status} {JsonNode.Parse(presence.Body)!["detail"]}",
                $"admin {(int)added.StatusCode} {JsonNode.Parse(await added.Content.ReadAsStringAsync())!["detail"]}",
                $"channel {refused.Which.Message}");
        }

        (await Refusals(tooLong)).Should().Be("""
            presence 400 X-Good-GNP-Token is not a usable token (1-512 characters, no control characters).
            admin 400 token must be 1-512 characters, no control characters.
            channel The server returned status code '400' when status code '101' was expected.
            """);
        var tokens = host.Services.GetRequiredService<TenantRegistry>().GetOrCreate(name).Pushes.Tokens;
        while (tokens.Count < PushTokens.Capacity) tokens.Learn($"known-{tokens.Count}", ownerKey: null);
        (await Refusals("one-too-many")).Should().Be("""
            presence 503 The tenant already knows as many GNP tokens as it keeps.
            admin 400 The tenant already knows 10000 tokens.
            channel The server returned status code '503' when status code '101' was expected.
            """);
        (await http.PostAsync("/presence/subscriptions", """{"contacts":["bob@example.com"],"notify":"n1"}""",
            ServiceHttp.Json("alice@example.com", ("X-Good-GNP-Token", "known-0")))).Status.Should().Be(HttpStatusCode.OK, "a known token is still learned");
    }

    [Fact]
    public async Task PushChannel_WithoutAWebSocket_Is426_AndWithoutAToken400()
    {
        host.NewTenant(out var name);
        using var http = new ServiceHttp(host, name);

        var plain = await http.GetAsync("/gnp/channel?token=t", []);

        plain.Status.Should().Be(HttpStatusCode.UpgradeRequired);
        using var socket = new System.Net.WebSockets.ClientWebSocket();
        using var timeout = new CancellationTokenSource(ServiceHttp.Bound);
        var refused = async () => await socket.ConnectAsync(new Uri($"ws://{host.BaseAddress.Authority}{http.Path("/gnp/channel")}"), timeout.Token);
        (await refused.Should().ThrowAsync<System.Net.WebSockets.WebSocketException>())
            .WithMessage("*'400'*", "the handshake is refused with 400, not upgraded");
    }
}
