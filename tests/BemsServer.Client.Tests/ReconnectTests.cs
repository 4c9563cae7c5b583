using BemsServer.Protocol;
using BemsServer.Protocol.Data;

namespace BemsServer.Client.Tests;

/// <summary>A background session survives its socket; a new connection from the same device resumes it.</summary>
public sealed class ReconnectTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    [Fact]
    public async Task Resume_SameDeviceToken_DeliversWhatWaitedWhileAway()
    {
        var tenant = fixture.Emulator.NewTenant();
        var phone = await EmulatorFixture.SignInAsync(tenant, "alice@example.com");
        var device = phone.DeviceToken;
        device.Should().NotBeNullOrEmpty("the server hands out a deviceToken cookie in the handshake");
        await phone.NotifyBackgroundAsync(isBackgroundMode: true);
        await phone.DisposeAsync(); // returns once the server closed its side: the session is parked by then

        await using var bob = await EmulatorFixture.SignInAsync(tenant, "bob@example.com");
        var sending = bob.SendMessageAsync("alice@example.com", "wake up");
        await using var resumed = await BemsClient.ConnectAsync(tenant.WebSocketUri, new BemsClientOptions { DeviceToken = device });
        await resumed.ResumeAsync("alice@example.com");

        var invitation = await resumed.WaitForEventAsync<InvitationReceivedData>();
        await resumed.AcceptChatAsync(invitation.RequestId);
        (await resumed.WaitForEventAsync<MessageReceivedData>()).Message.Should().Be("wake up");
        (await sending).Kind.Should().Be(SendOutcomeKind.Delivered);
    }

    [Fact]
    public async Task Resume_NothingParked_ThrowsSessionRequired()
    {
        await using var client = await BemsClient.ConnectAsync(fixture.Emulator.NewTenant().WebSocketUri, new BemsClientOptions { DeviceToken = "nobody" });

        var act = () => client.ResumeAsync("nobody@example.com");

        (await act.Should().ThrowAsync<BemsRpcException>()).Which.Code.Should().Be(ErrorCodes.SessionRequired);
    }

    [Fact]
    public async Task BeginSessionWithReconnect_ParkedSession_ResumesIt()
    {
        var tenant = fixture.Emulator.NewTenant();
        var phone = await EmulatorFixture.SignInAsync(tenant, "alice@example.com");
        await phone.NotifyBackgroundAsync(isBackgroundMode: true);
        var sessions = await tenant.GetSessionsAsync().WaitAsync(EmulatorFixture.Bound);
        var parked = sessions.Single(s => s.User == "sip:alice@example.com").Id;
        await phone.DisposeAsync();

        await using var resumed = await BemsClient.ConnectAsync(tenant.WebSocketUri, new BemsClientOptions { DeviceToken = phone.DeviceToken });
        await resumed.BeginSessionAsync("alice@example.com", new BeginSessionOptions(Reconnect: true));

        (await tenant.GetSessionsAsync().WaitAsync(EmulatorFixture.Bound)).Where(s => s.User == "sip:alice@example.com")
            .Should().ContainSingle().Which.Id.Should().Be(parked, "the parked session goes on rather than a new one");
    }
}
