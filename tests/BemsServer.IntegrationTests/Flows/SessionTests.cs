using BemsServer.IntegrationTests.Infrastructure;

namespace BemsServer.IntegrationTests.Flows;

/// <summary>A host in strict auth mode, with an extra WebSocket path and a custom seed-free setup.</summary>
public sealed class StrictAuthHost() : BemsHost(new()
{
    ["Bems:Auth:Mode"] = "Strict",
    ["Bems:Auth:Tokens:token-alice"] = "alice@example.com",
    ["Bems:Auth:Tokens:legacy-bob"] = "sip:bob@example.com",
    ["Bems:Transport:Paths:0"] = "/connect",
});

/// <summary>Open-mode sign-in: identities, API versions, devices and the deviceToken cookie.</summary>
public abstract class OpenSessionContract(BemsHost host)
{
    [Fact]
    public async Task BeginSession_SipAndBareForms_NameTheSameUser()
    {
        var tenant = host.NewTenant(out _);
        await using var bare = await host.SignInAsync(tenant, "dora@example.com");
        await using var sip = await host.SignInAsync(tenant, "sip:Dora@Example.com");
        await using var alice = await host.SignInAsync(tenant, "alice@example.com");

        await alice.SendAsync("StartChat", new { contactId = "dora@example.com" });

        (await bare.EventAsync("InvitationReceived")).Data!["contactId"]!.GetValue<string>().Should().Be("sip:alice@example.com");
        await sip.EventAsync("InvitationReceived");
    }

    [Fact]
    public async Task BeginSession_Api22UserIdAndGdToken_SignsIn()
    {
        var tenant = host.NewTenant(out _);
        await using var legacy = await host.ConnectAsync(tenant);
        await legacy.CallAsync("BeginSession", new { userId = "old@example.com", gdToken = "d64a57b7-f5b5-4e3a-839b-00618653a090" });
        await using var alice = await host.SignInAsync(tenant, "alice@example.com");

        await alice.SendAsync("StartChat", new { contactId = "old@example.com" });

        await legacy.EventAsync("InvitationReceived");
    }

    [Theory]
    [InlineData("""{}""", -32602)]
    [InlineData("""{"gdAuthToken":"not a user"}""", -32001)]
    [InlineData("""{"userId":"old@example.com"}""", -32602)]
    [InlineData("""{"gdAuthToken":42}""", -32602)]
    public async Task BeginSession_BadCredentials_RefusedAndTheConnectionCanStillSignIn(string parameters, int code)
    {
        await using var client = await host.ConnectAsync(host.NewTenant(out _));

        await client.SendRawAsync($$"""{"method":"BeginSession","params":{{parameters}},"id":"c1","jsonrpc":"2.0"}""");

        (await client.NextAsync()).Json["error"]!["code"]!.GetValue<int>().Should().Be(code);
        await client.CallAsync("BeginSession", new { gdAuthToken = "late@example.com" });
    }

    [Fact]
    public async Task Handshake_WithoutDeviceCookie_SetsOne_AndWithOneSetsNone()
    {
        var tenant = host.NewTenant(out _);
        await using var fresh = await host.ConnectAsync(tenant);
        fresh.SetCookie.Should().MatchRegex("^deviceToken=[0-9a-f-]{36};");

        await using var returning = await host.ConnectAsync(tenant, cookie: "deviceToken=my-device");
        returning.SetCookie.Should().BeNull();
    }

    [Fact]
    public async Task SetGDAuthToken_OtherIdentity_RefusedWithIdentityMismatch()
    {
        await using var client = await host.SignInAsync(host.NewTenant(out _), "alice@example.com");

        var answer = await client.RequestAsync("SetGDAuthToken", new { gdAuthToken = "bob@example.com" });

        answer.Json["error"]!["code"]!.GetValue<int>().Should().Be(-32005);
    }

    [Fact]
    public async Task TerminateSession_ThenCalls_NeedANewSessionAndEventsStop()
    {
        var tenant = host.NewTenant(out _);
        await using var bob = await host.SignInAsync(tenant, "bob@example.com");
        await using var alice = await host.SignInAsync(tenant, "alice@example.com");

        var id = await bob.SendAsync("TerminateSession");
        (await bob.NextAsync()).State.Should().Be("COMPLETE");
        (await bob.NextAsync()).Id.Should().Be(id);
        var send = await alice.SendAsync("SendMessage", new { contactId = "bob@example.com", message = "gone?", messageId = "m-1" });

        (await alice.WaitForAsync(f => f.Method == "MessageUpdate", "MessageUpdate")).Data!["messageId"]!.GetValue<string>().Should().Be("m-1");
        alice.History.Should().NotContain(f => f.Id == send && f.State == "COMPLETE");
        (await bob.RequestAsync("Ping")).Json["error"]!["code"]!.GetValue<int>().Should().Be(-32000);
        await bob.CallAsync("BeginSession", new { gdAuthToken = "bob@example.com" });
    }

    [Fact]
    public async Task Disconnect_SignsTheSessionOut()
    {
        var tenant = host.NewTenant(out _);
        var bob = await host.SignInAsync(tenant, "bob@example.com");
        await using var alice = await host.SignInAsync(tenant, "alice@example.com");
        // The close handshake completes only after the server has signed the session out.
        await bob.DisposeAsync();

        await alice.CallAsync("StartChat", new { contactId = "bob@example.com" });

        (await alice.EventAsync("InvitationUpdate")).Data!["status"]!.GetValue<string>().Should().Be("Expired", "nobody is signed in as bob");
    }
}

/// <summary>Strict mode accepts only the configured tokens.</summary>
public sealed class StrictSessionTests(StrictAuthHost host) : IClassFixture<StrictAuthHost>
{
    [Fact]
    public async Task BeginSession_ListedTokens_SignIn_OthersRefused()
    {
        var tenant = await host.NewConfiguredTenantAsync(); // strict mode: tenants are configured
        await using var alice = await host.ConnectAsync(tenant);
        await alice.CallAsync("BeginSession", new { gdAuthToken = "token-alice" });
        await using var bob = await host.ConnectAsync(tenant);
        await bob.CallAsync("BeginSession", new { userId = "bob@example.com", gdToken = "legacy-bob" });
        await using var mallory = await host.ConnectAsync(tenant);

        (await mallory.RequestAsync("BeginSession", new { gdAuthToken = "alice@example.com" })).Json["error"]!["code"]!.GetValue<int>().Should().Be(-32001);
        (await mallory.RequestAsync("BeginSession", new { userId = "alice@example.com", gdToken = "legacy-bob" })).Json["error"]!["code"]!.GetValue<int>().Should().Be(-32001);

        await alice.SendAsync("StartChat", new { contactId = "bob@example.com" });
        await bob.EventAsync("InvitationReceived");
    }

    [Fact]
    public async Task ExtraConfiguredPath_ServesTheDefaultTenant()
    {
        await using var client = await host.ConnectAsync(new Uri($"ws://{host.BaseAddress.Authority}/connect"));

        await client.CallAsync("BeginSession", new { gdAuthToken = "token-alice" });
    }
}

/// <summary>The contract on one node, the in-memory engine.</summary>
public sealed class OpenSessionTests(BemsHost host) : OpenSessionContract(host), IClassFixture<BemsHost>;

/// <summary>The contract on two nodes of the Orleans engine, each client on the other node than the one before.</summary>
public sealed class OpenSessionClusterTests(ClusterHost host) : OpenSessionContract(host), IClassFixture<ClusterHost>;
