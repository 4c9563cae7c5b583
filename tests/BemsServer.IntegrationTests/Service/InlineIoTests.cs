using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BemsServer.Hosting;
using BemsServer.IntegrationTests.Infrastructure;

namespace BemsServer.IntegrationTests.Service;

/// <summary>
/// The server's own process carries a Connect message from its read to its sends on the socket engine's threads
/// (<see cref="InlineIo"/>): measured by the thread pool's completed work items across SendMessages between two real
/// clients, read from <c>GET /admin/process</c>.
/// </summary>
public sealed class InlineIoTests(ServerProcessFixture fixture) : IClassFixture<ServerProcessFixture>
{
    private const int Messages = 200;

    [Fact]
    public async Task SendMessage_OnTheServersOwnProcess_IsNotHandedToTheThreadPool()
    {
        var perMessage = await WorkItemsPerMessageAsync(fixture.BaseAddress);

        perMessage.Should().BeLessThan(0.25, "the read, the dispatch and both sends of a message run on the thread that read it; a hand-off per message would make it 1 or more");
    }

    [Fact]
    public async Task SendMessage_WithTheRuntimesSwitchSetToZero_GoesThroughTheThreadPool()
    {
        await using var server = ServerProcess.Start(["--urls", "http://127.0.0.1:0"],
            environment: new Dictionary<string, string> { [InlineIo.RuntimeVariable] = "0" });
        var address = await server.WaitUntilReadyAsync().WaitAsync(ServerProcess.Timeout);

        var perMessage = await WorkItemsPerMessageAsync(address);

        perMessage.Should().BeGreaterThan(1, "a user who sets the variable decides: each completion is handed to the thread pool");
    }

    private static async Task<double> WorkItemsPerMessageAsync(Uri address)
    {
        var socket = new Uri($"ws://{address.Authority}/t/inline{Guid.NewGuid():N}/");
        await using var alice = await WireClient.ConnectAsync(socket);
        await using var bob = await WireClient.ConnectAsync(socket);
        await alice.CallAsync("BeginSession", new { gdAuthToken = "alice@example.com" });
        await bob.CallAsync("BeginSession", new { gdAuthToken = "bob@example.com" });
        using var admin = new HttpClient { BaseAddress = address, Timeout = ServerProcess.Timeout };
        var first = await alice.SendAsync("SendMessage", new { contactId = "bob@example.com", message = "first", messageId = "first" });
        var invitation = await bob.EventAsync("InvitationReceived");
        await bob.CallAsync("AcceptChat", new { requestId = invitation.Data!["requestId"]!.GetValue<string>() });
        await alice.WaitForAsync(f => f.Id == first && f.State == "COMPLETE", "COMPLETE of the first message");

        var before = await WorkItemsAsync(admin);
        for (var i = 0; i < Messages; i++) await SendAsync(alice, $"m{i}");
        var after = await WorkItemsAsync(admin);

        var last = $"m{Messages - 1}";
        await bob.WaitForAsync(f => f.Method == "MessageReceived" && f.Text.Contains(last, StringComparison.Ordinal), $"bob's {last}");
        lock (bob.History) bob.History.Count(static f => f.Method == "MessageReceived").Should().Be(Messages + 1, "bob got every message");
        return (after - before) / (double)Messages;
    }

    private static async Task SendAsync(WireClient alice, string messageId)
    {
        var id = await alice.SendAsync("SendMessage", new { contactId = "bob@example.com", message = messageId, messageId });
        await alice.WaitForAsync(f => f.Id == id && f.State == "COMPLETE", $"COMPLETE of {messageId}");
    }

    private static async Task<long> WorkItemsAsync(HttpClient admin)
    {
        var figures = await admin.GetFromJsonAsync<JsonObject>(new Uri("/admin/process", UriKind.Relative)).WaitAsync(ServerProcess.Timeout);
        return figures!["threadPoolWorkItems"]!.GetValue<long>();
    }
}
