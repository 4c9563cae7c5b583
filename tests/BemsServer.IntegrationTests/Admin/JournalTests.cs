using System.Net;
using System.Text.Json.Nodes;
using BemsServer.IntegrationTests.Infrastructure;

namespace BemsServer.IntegrationTests.Admin;

/// <summary>The frame journal and the wait-for long-poll.</summary>
public abstract class JournalContract(BemsHost host)
{
    private static string? Text(JsonNode? node) => node?.GetValue<string>();

    [Fact]
    public async Task Journal_SendMessageExchange_RecordedInWireOrderWithIds()
    {
        var uri = host.NewTenant(out var name);
        using var admin = AdminApi.For(host, name);
        await using var alice = await host.SignInAsync(uri, "alice@example.com");
        var id = await alice.SendAsync("SendMessage", new { contactId = "echo@example.com", message = "hi", messageId = "m-1" });
        await alice.EventAsync("MessageReceived");
        await admin.GetAsync($"journal/wait?method=MessageReceived&timeout=10");

        var connection = Text((await admin.GetAsync("journal?user=sip:alice@example.com"))["entries"]![0]!["connection"]);
        var entries = (await admin.GetAsync($"journal?connection={connection}"))["entries"]!.AsArray();

        entries.Select(static e => $"{Text(e!["direction"])} {Text(e!["kind"])} {Text(e!["method"])}").Should().Equal(
            "in request BeginSession", "out response BeginSession", "out complete BeginSession",
            "in request SendMessage", "out response SendMessage", "out complete SendMessage", "out event MessageReceived");
        entries.Select(static e => e!["seq"]!.GetValue<long>()).Should().BeInAscendingOrder();
        var exchange = entries.Skip(3).ToList();
        exchange.Take(3).Should().OnlyContain(e => Text(e!["id"]) == id);
        exchange.Skip(1).Take(2).Should().OnlyContain(e => Text(e!["answers"]) == id);
        Text(exchange[3]!["id"]).Should().StartWith("S");
        exchange[3]!["frame"]!["result"]!["data"]!["message"]!.GetValue<string>().Should().Be("hi");
        Text(exchange[0]!["connection"]).Should().StartWith("conn-");
    }

    [Fact]
    public async Task WaitFor_FrameArrivingAfterTheCall_ReturnsIt()
    {
        var uri = host.NewTenant(out var name);
        using var admin = AdminApi.For(host, name);
        await using var alice = await host.SignInAsync(uri, "alice@example.com");

        var waiting = admin.GetAsync("journal/wait?method=Ping&direction=out&kind=complete&timeout=10");
        waiting.IsCompleted.Should().BeFalse();
        var id = await alice.SendAsync("Ping");
        var entry = await waiting.WaitAsync(TimeSpan.FromSeconds(15));

        Text(entry["answers"]).Should().Be(id);
        Text(entry["user"]).Should().Be("alice@example.com");
    }

    [Fact]
    public async Task WaitFor_NothingMatches_TimesOutWith408()
    {
        host.NewTenant(out var name);
        using var admin = AdminApi.For(host, name);

        using var response = await admin.SendAsync(HttpMethod.Get, "journal/wait?method=NeverSent&timeout=0.2");

        response.StatusCode.Should().Be(HttpStatusCode.RequestTimeout);
        (await response.Content.ReadAsStringAsync()).Should().Contain("No matching frame");
    }

    [Fact]
    public async Task Journal_TenantsAreSeparate_DefaultTenantSeesNoNamedTenantFrames()
    {
        var uri = host.NewTenant(out var name);
        await using var alice = await host.SignInAsync(uri, $"only-{name}@example.com");
        using var scoped = AdminApi.For(host, name);
        using var root = AdminApi.For(host);
        await scoped.GetAsync($"journal/wait?user=only-{name}@example.com&kind=complete");

        (await root.GetAsync($"journal?user=only-{name}@example.com"))["entries"]!.AsArray().Should().BeEmpty();
    }
}

/// <summary>The contract on one node, the in-memory engine.</summary>
public sealed class JournalTests(BemsHost host) : JournalContract(host), IClassFixture<BemsHost>;

/// <summary>The contract on two nodes of the Orleans engine, each client on the other node than the one before.</summary>
public sealed class JournalClusterTests(ClusterHost host) : JournalContract(host), IClassFixture<ClusterHost>;
