using System.Net.WebSockets;
using System.Text.Json.Nodes;
using BemsServer.IntegrationTests.Infrastructure;

namespace BemsServer.IntegrationTests.Cluster;

/// <summary>Two nodes of the Orleans engine: clients on either node are one emulator.</summary>
public sealed class ClusterNodeTests(ClusterHost host) : IClassFixture<ClusterHost>
{
    [Fact]
    public async Task BemsServices_InClusterMode_Answer501WithAProblemSayingSo()
    {
        host.NewTenant(out var tenant);
        using var http = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(20) };
        using var request = new HttpRequestMessage(HttpMethod.Post, $"t/{tenant}/api/lookupuser")
        {
            Content = new StringContent("""{"Account":"alice@example.com","SearchKey":"Bob"}"""),
        };
        request.Headers.Add("X-Good-GD-AuthToken", "alice@example.com");

        using var response = await http.SendAsync(request);

        response.StatusCode.Should().Be(System.Net.HttpStatusCode.NotImplemented);
        (await response.Content.ReadAsStringAsync()).Should().Contain("single-node engine only");
    }

    [Fact]
    public async Task ClientsOnTwoNodes_Chat_AndTheAdminApiOfEitherNodeListsBothSessions()
    {
        host.NewTenant(out var tenant);
        await using var alice = await WireClient.ConnectAsync(new Uri($"ws://{host.BaseAddress.Authority}/t/{tenant}/"));
        await alice.CallAsync("BeginSession", new { gdAuthToken = "alice@example.com" });
        await using var bob = await WireClient.ConnectAsync(new Uri($"ws://{host.SecondAddress.Authority}/t/{tenant}/"));
        await bob.CallAsync("BeginSession", new { gdAuthToken = "bob@example.com" });

        var send = await alice.SendAsync("SendMessage", new { contactId = "bob@example.com", message = "across nodes", messageId = "m-1" });
        var invitation = await bob.EventAsync("InvitationReceived");
        await bob.CallAsync("AcceptChat", new { requestId = invitation.Data!["requestId"]!.GetValue<string>() });
        (await bob.EventAsync("MessageReceived")).Data!["message"]!.GetValue<string>().Should().Be("across nodes");
        (await alice.WaitForAsync(f => f.Id == send && f.State is not null and not "PROCESSING", "SendMessage's outcome")).State.Should().Be("COMPLETE");

        foreach (var node in new[] { host.BaseAddress, host.SecondAddress })
        {
            using var http = new HttpClient { BaseAddress = node, Timeout = TimeSpan.FromSeconds(20) };
            var sessions = JsonNode.Parse(await http.GetStringAsync(new Uri($"admin/t/{tenant}/sessions", UriKind.Relative)))!.AsArray()
                .Where(static s => s!["simulated"]!.GetValue<bool>() == false).ToList();
            sessions.Select(static s => s!["user"]!.GetValue<string>()).Should().BeEquivalentTo(["sip:alice@example.com", "sip:bob@example.com"], $"node {node} answers for the cluster");
            sessions.Select(static s => s!["connection"]!.GetValue<string>().Split('-')[1]).Distinct().Should().HaveCount(2, "the sockets are on two nodes");
        }
    }

    [Fact]
    public async Task AdminOfTheOtherNode_ClosesASessionWithTheChosenCode()
    {
        host.NewTenant(out var tenant);
        await using var alice = await WireClient.ConnectAsync(new Uri($"ws://{host.BaseAddress.Authority}/t/{tenant}/"));
        await alice.CallAsync("BeginSession", new { gdAuthToken = "alice@example.com" });
        using var http = new HttpClient { BaseAddress = host.SecondAddress, Timeout = TimeSpan.FromSeconds(20) };
        var session = JsonNode.Parse(await http.GetStringAsync(new Uri($"admin/t/{tenant}/sessions", UriKind.Relative)))!.AsArray()
            .Single(static s => s!["user"]!.GetValue<string>() == "sip:alice@example.com")!["id"]!.GetValue<string>();

        using var closed = await http.DeleteAsync(new Uri($"admin/t/{tenant}/sessions/{session}?code=4001&reason=bye", UriKind.Relative));

        closed.StatusCode.Should().Be(System.Net.HttpStatusCode.NoContent);
        (await alice.WaitForCloseAsync()).Should().Be((WebSocketCloseStatus)4001);
    }

    [Fact]
    public async Task EitherNode_RefusesWhatOneNodeRefuses()
    {
        foreach (var node in new[] { host.BaseAddress, host.SecondAddress })
        {
            using var http = new HttpClient { BaseAddress = node, Timeout = TimeSpan.FromSeconds(20) };
            using var plain = await http.GetAsync(new Uri("t/ordinary/", UriKind.Relative));
            plain.StatusCode.Should().Be(System.Net.HttpStatusCode.UpgradeRequired, "a plain GET creates nothing");
            using var reserved = await http.GetAsync(new Uri("t/admin/", UriKind.Relative));
            reserved.StatusCode.Should().Be(System.Net.HttpStatusCode.NotFound);
            (await reserved.Content.ReadAsStringAsync()).Should().Contain("reserved tenant name");
        }
    }
}
