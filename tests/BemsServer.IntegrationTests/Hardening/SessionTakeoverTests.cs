using BemsServer.IntegrationTests.Infrastructure;

namespace BemsServer.IntegrationTests.Hardening;

/// <summary>Strict mode with a token per user: tokens are secrets, so only their holder can sign in or resume as the user.</summary>
public sealed class StrictHost() : BemsHost(Settings())
{
    public static Dictionary<string, string?> Settings() => new()
    {
        ["Bems:Auth:Mode"] = "Strict",
        ["Bems:Auth:Tokens:tok-alice"] = "alice@example.com",
        ["Bems:Auth:Tokens:tok-bob"] = "bob@example.com",
        ["Bems:Auth:Tokens:tok-carol"] = "carol@example.com",
    };
}

/// <summary>Strict mode on two cluster nodes; tenants are configured through the second node's admin API.</summary>
public sealed class StrictClusterHost() : ClusterHost(StrictHost.Settings())
{
    protected override Uri AdminAddress => SecondAddress;
}

/// <summary>
/// Resuming a parked background session proves the identity as BeginSession does: knowing a device token is not enough.
/// </summary>
public abstract class SessionTakeoverContract(BemsHost host)
{
    private const string AliceDevice = "deviceToken=alice-phone-1";

    /// <summary>Alice signs in on her phone (device token from the handshake cookie), goes to background, and her socket drops.</summary>
    private async Task ParkAliceAsync(Uri tenant)
    {
        var phone = await host.ConnectAsync(tenant, AliceDevice);
        await phone.CallAsync("BeginSession", new { gdAuthToken = "tok-alice" });
        await phone.CallAsync("NotifyBackground", new { isBackgroundMode = true });
        await phone.DisposeAsync();
    }

    private static (int Code, string Message) ErrorOf(Frame frame) =>
        (frame.Json["error"]!["code"]!.GetValue<int>(), frame.Json["error"]!["message"]!.GetValue<string>());

    [Fact]
    public async Task Reconnect_WithTheDeviceTokenButNoCredential_IsRefusedSayingWhy()
    {
        var tenant = await host.NewConfiguredTenantAsync();
        await ParkAliceAsync(tenant);

        await using var byParam = await host.ConnectAsync(tenant);
        var (code, message) = ErrorOf(await byParam.RequestAsync("Ping", new { reconnect = true, deviceToken = "alice-phone-1" }));
        await using var byCookie = await host.ConnectAsync(tenant, AliceDevice);
        var (cookieCode, cookieMessage) = ErrorOf(await byCookie.RequestAsync("Ping", new { reconnect = "true" }));

        code.Should().Be(-32001);
        message.Should().Contain("gdAuthToken").And.Contain("reconnect");
        cookieCode.Should().Be(-32001);
        cookieMessage.Should().Be(message);
        (await byCookie.RequestAsync("SendMessage", new { contactId = "bob@example.com", message = "hi", messageId = "m1" }))
            .Json["error"]!["code"]!.GetValue<int>().Should().Be(-32000, "the refused resume left the socket without a session");
    }

    [Fact]
    public async Task Reconnect_WithAnotherUsersValidCredential_FindsNothingToResume()
    {
        var tenant = await host.NewConfiguredTenantAsync();
        await ParkAliceAsync(tenant);
        await using var carol = await host.ConnectAsync(tenant, AliceDevice);

        var (code, message) = ErrorOf(await carol.RequestAsync("Ping", new { reconnect = "true", gdAuthToken = "tok-carol", deviceToken = "alice-phone-1" }));

        code.Should().Be(-32000);
        message.Should().Contain("resume");
    }

    [Fact]
    public async Task Reconnect_WithAnInvalidToken_IsRefusedAsAFailedSignIn()
    {
        var tenant = await host.NewConfiguredTenantAsync();
        await ParkAliceAsync(tenant);
        await using var mallory = await host.ConnectAsync(tenant, AliceDevice);

        ErrorOf(await mallory.RequestAsync("Ping", new { reconnect = "true", gdAuthToken = "alice@example.com" })).Code.Should().Be(-32001);
    }

    [Fact]
    public async Task Reconnect_NamingACookieDeviceByParameterOnly_IsNotThatDevice()
    {
        var tenant = await host.NewConfiguredTenantAsync();
        await ParkAliceAsync(tenant);
        await using var elsewhere = await host.ConnectAsync(tenant); // the right credential, but not the phone's cookie

        ErrorOf(await elsewhere.RequestAsync("Ping", new { reconnect = "true", gdAuthToken = "tok-alice", deviceToken = "alice-phone-1" }))
            .Code.Should().Be(-32000, "the phone's device token came from its cookie, and only that cookie names the device");
    }

    [Fact]
    public async Task Reconnect_WithTheSessionsCredentialAndDevice_ResumesAndActsAsTheUser()
    {
        var tenant = await host.NewConfiguredTenantAsync();
        await ParkAliceAsync(tenant);
        await using var bob = await host.ConnectAsync(tenant);
        await bob.CallAsync("BeginSession", new { gdAuthToken = "tok-bob" });
        await using var phone = await host.ConnectAsync(tenant, AliceDevice);

        var ping = await phone.SendAsync("Ping", new { reconnect = "true", gdAuthToken = "tok-alice" });
        await phone.WaitForAsync(f => f.Id == ping && f.State == "COMPLETE", "COMPLETE of the resuming Ping");
        await phone.SendAsync("SendMessage", new { contactId = "bob@example.com", message = "back", messageId = "m1" });

        (await bob.EventAsync("InvitationReceived")).Data!["contactId"]!.GetValue<string>().Should().Be("sip:alice@example.com");
    }

    [Fact]
    public async Task Reconnect_OfADeviceTokenGivenInBeginSession_MayNameItByParameterWithTheCredential()
    {
        var tenant = await host.NewConfiguredTenantAsync();
        var phone = await host.ConnectAsync(tenant);
        await phone.CallAsync("BeginSession", new { userId = "alice@example.com", gdToken = "tok-alice", deviceToken = "app-instance-7" });
        await phone.CallAsync("NotifyBackground", new { isBackgroundMode = true });
        await phone.DisposeAsync();
        await using var thief = await host.ConnectAsync(tenant);
        await using var again = await host.ConnectAsync(tenant);

        ErrorOf(await thief.RequestAsync("Ping", new { reconnect = "true", deviceToken = "app-instance-7" })).Code.Should().Be(-32001);
        var ping = await again.SendAsync("Ping", new { reconnect = "true", deviceToken = "app-instance-7", userId = "alice@example.com", gdToken = "tok-alice" });
        (await again.ResponseToAsync(ping)).State.Should().Be("PROCESSING");
    }
}

/// <summary>Open mode resumes by the same rule as strict mode, so that a client written against it works in both.</summary>
public abstract class OpenModeReconnectContract(BemsHost host)
{
    [Fact]
    public async Task Reconnect_InOpenMode_WithoutTheCredential_IsRefusedAsInStrictMode()
    {
        var tenant = await host.NewConfiguredTenantAsync();
        var phone = await host.ConnectAsync(tenant, "deviceToken=phone-9");
        await phone.CallAsync("BeginSession", new { gdAuthToken = "alice@example.com" });
        await phone.CallAsync("NotifyBackground", new { isBackgroundMode = true });
        await phone.DisposeAsync();
        await using var again = await host.ConnectAsync(tenant, "deviceToken=phone-9");

        (await again.RequestAsync("Ping", new { reconnect = "true" })).Json["error"]!["code"]!.GetValue<int>().Should().Be(-32001);
        var ping = await again.SendAsync("Ping", new { reconnect = "true", gdAuthToken = "alice@example.com" });
        (await again.ResponseToAsync(ping)).State.Should().Be("PROCESSING");
    }
}

/// <summary>The contract on one node, the in-memory engine.</summary>
public sealed class OpenModeReconnectTests(BemsHost host) : OpenModeReconnectContract(host), IClassFixture<BemsHost>;

/// <summary>The contract on two nodes of the Orleans engine, each client on the other node than the one before.</summary>
public sealed class OpenModeReconnectClusterTests(ClusterHost host) : OpenModeReconnectContract(host), IClassFixture<ClusterHost>;

/// <summary>The contract on one node, the in-memory engine.</summary>
public sealed class SessionTakeoverTests(StrictHost host) : SessionTakeoverContract(host), IClassFixture<StrictHost>;

/// <summary>The contract on two nodes of the Orleans engine, each client on the other node than the one before.</summary>
public sealed class SessionTakeoverClusterTests(StrictClusterHost host) : SessionTakeoverContract(host), IClassFixture<StrictClusterHost>;
