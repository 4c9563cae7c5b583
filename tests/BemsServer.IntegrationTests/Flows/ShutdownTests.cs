using System.Diagnostics;
using System.Net.WebSockets;
using BemsServer.IntegrationTests.Infrastructure;

namespace BemsServer.IntegrationTests.Flows;

/// <summary>
/// Defect 9 of the hardening issue: a stopping server (SIGTERM) aborted every socket. It must let requests finish, then
/// send each client a close frame with 1001 (going away) and stop cleanly. Each test stops its own host.
/// </summary>
public sealed class ShutdownTests
{
    [Fact]
    public async Task HostStopping_SignedInClients_GetACloseFrameWith1001_AndTheHostStopsCleanly()
    {
        var host = new BemsHost();
        await host.InitializeAsync();
        var tenant = host.NewTenant(out _);
        var alice = await host.SignInAsync(tenant, "alice@example.com");
        var idle = await host.ConnectAsync(tenant);
        await alice.CallAsync("SendMessage", new { contactId = "echo@example.com", message = "before the end", messageId = "m-1" });
        await alice.EventAsync("MessageReceived");
        var queued = await alice.SendAsync("SendMessage", new { contactId = "ignore@example.com", message = "never answered", messageId = "m-2" });
        await alice.WaitForAsync(f => f.Id == queued, "PROCESSING of the message waiting for an invitation");

        // The clients are disposed by hand below: each answers the server's close frame once it has seen it.
        var watch = Stopwatch.StartNew();
        var stopping = host.DisposeAsync();
        var aliceClose = await alice.WaitForCloseAsync();
        var idleClose = await idle.WaitForCloseAsync();
        await alice.DisposeAsync();
        await idle.DisposeAsync();
        await stopping.WaitAsync(TimeSpan.FromSeconds(30));

        aliceClose.Should().Be(WebSocketCloseStatus.EndpointUnavailable);
        alice.History.Should().ContainSingle(f => f.Method == "MessageUpdate", "the message queued behind an invitation still gets its one outcome");
        idleClose.Should().Be(WebSocketCloseStatus.EndpointUnavailable);
        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(20), "nothing was in flight, so nothing waits for the drain timeout or the host's");
    }
}
