using BemsServer.IntegrationTests.Infrastructure;
using BemsServer.Tenancy;
using Microsoft.Extensions.DependencyInjection;

namespace BemsServer.IntegrationTests.Im;

/// <summary>Background mode: push records instead of lost events, and <c>reconnect</c> that resumes the session without loss.</summary>
public sealed class BackgroundTests(ImHost host) : IClassFixture<ImHost>
{
    private const string Cookie = "deviceToken=phone-1";

    private Tenant TenantNamed(string name) => host.Services.GetRequiredService<TenantRegistry>().GetOrCreate(name);

    [Fact]
    public async Task BackgroundSession_MessageArrives_DeliveredAndRecordedAsAPushAndLogged()
    {
        var tenant = host.NewTenant(out var name);
        await using var me = await host.SignInAsync(tenant, "me@example.com");
        await using var user2 = await host.SignInAsync(tenant, "user2@example.com");
        await me.EventAsync("PresenceUpdate");
        await me.CallAsync("NotifyBackground", new { isBackgroundMode = true, unreadMessageCount = 3, pushType = "4", pushMaxLength = 12 });
        await me.CallAsync("StartChat", new { contactId = "user2@example.com" });
        await user2.CallAsync("AcceptChat", new { requestId = (await user2.EventAsync("InvitationReceived")).Data!["requestId"]!.GetValue<string>() });

        await user2.CallAsync("SendMessage", new { contactId = "me@example.com", message = "Are you there?", messageId = "m1" });

        (await me.EventAsync("MessageReceived")).Data!["message"]!.GetValue<string>().Should().Be("Are you there?", "the socket still lives");
        var push = TenantNamed(name).Pushes.Snapshot().Should().ContainSingle().Subject;
        push.UserId.Should().Be("sip:me@example.com");
        push.Event.Should().Be("MessageReceived");
        push.PushType.Should().Be("SenderandMessage");
        push.Text.Should().Be("Sam Two: Are", "pushMaxLength cuts the text");
        push.Badge.Should().Be(4);
        host.Logs.Snapshot().Should().Contain(r => r.Message.StartsWith("Push to", StringComparison.Ordinal)
            && r.Message.Contains("sip:me@example.com", StringComparison.Ordinal) && r.Message.Contains(name, StringComparison.Ordinal));

        await me.CallAsync("NotifyBackground", new { isBackgroundMode = false });
        await user2.CallAsync("SendMessage", new { contactId = "me@example.com", message = "back?", messageId = "m2" });
        await me.EventAsync("MessageReceived");
        TenantNamed(name).Pushes.Snapshot().Should().HaveCount(1, "a foreground session gets no pushes");
    }

    [Fact]
    public async Task Reconnect_AfterTheSocketOfABackgroundSessionDropped_ResumesWithTheEventsThatWaited()
    {
        var tenant = host.NewTenant(out var name);
        var phone = await host.ConnectAsync(tenant, Cookie);
        await phone.CallAsync("BeginSession", new { gdAuthToken = "me@example.com" });
        await phone.CallAsync("NotifyBackground", new { isBackgroundMode = true, pushType = 3 });
        await phone.DisposeAsync();
        await using var user2 = await host.SignInAsync(tenant, "user2@example.com");

        var send = await user2.SendAsync("SendMessage", new { contactId = "me@example.com", message = "Wake up", messageId = "m1" });
        await user2.ResponseToAsync(send);
        // The PROCESSING leaves ahead of the invitation it causes: wait for the push's log line, not for the answer.
        await host.Logs.WaitForAsync(l => l.StartsWith("Push to", StringComparison.Ordinal) && l.Contains(name, StringComparison.Ordinal), "the invitation's push");
        TenantNamed(name).Pushes.Snapshot().Should().ContainSingle().Which.Text.Should().Be("New chat invitation from Sam Two");

        await using var resumed = await host.ConnectAsync(tenant, Cookie);
        var ping = await resumed.SendAsync("Ping", new { reconnect = "true", gdAuthToken = "me@example.com" });
        (await resumed.NextAsync()).Method.Should().Be("PresenceUpdate", "what waited comes first, in order (user2 came online)");
        var invitation = await resumed.NextAsync();
        invitation.Method.Should().Be("InvitationReceived");
        (await resumed.NextAsync()).Id.Should().Be(ping);
        await resumed.CallAsync("NotifyBackground", new { isBackgroundMode = false });
        await resumed.CallAsync("AcceptChat", new { requestId = invitation.Data!["requestId"]!.GetValue<string>() });

        (await resumed.EventAsync("MessageReceived")).Data!["message"]!.GetValue<string>().Should().Be("Wake up");
        await user2.WaitForAsync(f => f.Id == send && f.State == "COMPLETE", "COMPLETE of the message sent while away");
    }

    /// <summary>Signs in the phone in background mode, with user2 watching its presence; the phone's socket then drops.</summary>
    private async Task<WireClient> ParkedPhoneWithWatcherAsync(Uri tenant)
    {
        var phone = await host.ConnectAsync(tenant, Cookie);
        await phone.CallAsync("BeginSession", new { gdAuthToken = "me@example.com" });
        await phone.CallAsync("NotifyBackground", new { isBackgroundMode = true, pushType = 3 });
        var watcher = await host.SignInAsync(tenant, "user2@example.com");
        await watcher.CallAsync("RegisterTempRemotePresence", new { contactId = "me@example.com" });
        (await watcher.EventAsync("PresenceUpdate")).Data!["presence"]!.GetValue<string>().Should().NotBe("offline");
        await phone.DisposeAsync(); // returns once the server closed its side, so the session is parked by then
        return watcher;
    }

    [Fact]
    public async Task ParkedSession_NoReconnectWithinTheParkedTimeout_ExpiresAndSignsOut()
    {
        var tenant = host.NewTenant(out _);
        await using var watcher = await ParkedPhoneWithWatcherAsync(tenant);

        host.Clock.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(1));
        await watcher.ExpectNothingPendingAsync();
        host.Clock.Advance(TimeSpan.FromSeconds(1));

        (await watcher.EventAsync("PresenceUpdate")).Data!["presence"]!.GetValue<string>().Should().Be("offline");
        var send = await watcher.SendAsync("SendMessage", new { contactId = "me@example.com", message = "still there?", messageId = "m1" });
        (await watcher.WaitForAsync(f => f.Method == "MessageUpdate", "MessageUpdate")).Data!["status"]!.GetValue<string>()
            .Should().Be("timeout", "nobody is signed in to receive it");
        await watcher.ResponseToAsync(send);
        await using var late = await host.ConnectAsync(tenant, Cookie);
        (await late.RequestAsync("Ping", new { reconnect = "true", gdAuthToken = "me@example.com" })).Json["error"]!["code"]!.GetValue<int>().Should().Be(-32000);
    }

    [Fact]
    public async Task ParkedSession_ReconnectInTime_StartsTheTimeoutAfreshWhenItParksAgain()
    {
        var tenant = host.NewTenant(out _);
        await using var watcher = await ParkedPhoneWithWatcherAsync(tenant);
        host.Clock.Advance(TimeSpan.FromMinutes(9));
        var resumed = await host.ConnectAsync(tenant, Cookie);
        await resumed.ResponseToAsync(await resumed.SendAsync("Ping", new { reconnect = "true", gdAuthToken = "me@example.com" }));
        await resumed.DisposeAsync();

        host.Clock.Advance(TimeSpan.FromMinutes(9)); // 18 minutes after the first drop, 9 after the second

        await watcher.ExpectNothingPendingAsync();
        await using var again = await host.ConnectAsync(tenant, Cookie);
        var ping = await again.SendAsync("Ping", new { reconnect = "true", gdAuthToken = "me@example.com" });
        (await again.ResponseToAsync(ping)).State.Should().Be("PROCESSING");
        host.Clock.Advance(TimeSpan.FromMinutes(20));
        await watcher.ExpectNothingPendingAsync(); // attached to a socket again: it does not expire
    }

    [Fact]
    public async Task Reconnect_WithNothingToResume_IsRefusedAsWithoutSession()
    {
        await using var stranger = await host.ConnectAsync(host.NewTenant(out _), "deviceToken=unknown-device");

        var answer = await stranger.RequestAsync("Ping", new { reconnect = "true", gdAuthToken = "me@example.com" });

        answer.Json["error"]!["code"]!.GetValue<int>().Should().Be(-32000);
    }

    [Fact]
    public async Task ForegroundSession_SocketDrops_SessionEndsAsBefore()
    {
        var tenant = host.NewTenant(out _);
        var phone = await host.ConnectAsync(tenant, Cookie);
        await phone.CallAsync("BeginSession", new { gdAuthToken = "me@example.com" });
        await phone.DisposeAsync();
        await using var user2 = await host.SignInAsync(tenant, "user2@example.com");

        await user2.SendAsync("SendMessage", new { contactId = "me@example.com", message = "anyone?", messageId = "m1" });

        (await user2.EventAsync("MessageUpdate")).Data!["status"]!.GetValue<string>().Should().Be("timeout");
        await using var again = await host.ConnectAsync(tenant, Cookie);
        (await again.RequestAsync("Ping", new { reconnect = "true", gdAuthToken = "me@example.com" })).Json["error"]!["code"]!.GetValue<int>().Should().Be(-32000);
    }
}
