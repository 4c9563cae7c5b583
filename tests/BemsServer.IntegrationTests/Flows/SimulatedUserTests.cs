using BemsServer.Client;
using BemsServer.IntegrationTests.Infrastructure;
using BemsServer.Protocol.Data;

namespace BemsServer.IntegrationTests.Flows;

/// <summary>The built-in simulated users of the default seed, one behaviour each.</summary>
public abstract class SimulatedUserContract(BemsHost host)
{
    [Fact]
    public async Task Echo_FirstMessage_IsAcceptedCompletedAndSentBack()
    {
        await using var me = await host.ClientAsync(host.NewTenant(out _), "me@example.com");

        var outcome = await me.SendMessageAsync("echo@example.com", "ping 1", "m-1");
        var echo = await me.WaitForEventAsync<MessageReceivedData>();

        outcome.Kind.Should().Be(SendOutcomeKind.Delivered);
        echo.Should().Match<MessageReceivedData>(e => e.Message == "ping 1" && e.ContactId == "sip:echo@example.com" && e.ChatId == outcome.ChatId);

        await me.SendMessageAsync("sip:echo@example.com", "ping 2", "m-2");
        (await me.WaitForEventAsync<MessageReceivedData>()).Message.Should().Be("ping 2");
    }

    [Fact]
    public async Task Echo_FirstMessage_CompleteComesBeforeTheEcho()
    {
        await using var me = await host.SignInAsync(host.NewTenant(out _), "me@example.com");

        var (_, complete) = await me.CallAsync("SendMessage", new { contactId = "echo@example.com", message = "ping 1", messageId = "m-1" });
        var echo = await me.EventAsync("MessageReceived");

        me.History.FindIndex(f => f == complete).Should().BeLessThan(me.History.FindIndex(f => f == echo));
    }

    [Fact]
    public async Task Accept_Message_IsDeliveredSilently()
    {
        await using var me = await host.ClientAsync(host.NewTenant(out _), "me@example.com");

        var outcome = await me.SendMessageAsync("accept@example.com", "hi", "m-1");

        outcome.Kind.Should().Be(SendOutcomeKind.Delivered);
        outcome.ChatId.Should().NotBeNullOrEmpty();
        await me.ExpectNoEventsAsync();
    }

    [Fact]
    public async Task Decline_Message_EndsInMessageUpdateDeclined()
    {
        await using var me = await host.ClientAsync(host.NewTenant(out _), "me@example.com");

        var outcome = await me.SendMessageAsync("decline@example.com", "hi", "m-1");

        outcome.Should().Be(new SendOutcome(SendOutcomeKind.Declined, "m-1", null, "declined", "terminated"));
    }

    [Fact]
    public async Task Ignore_Message_TimesOutWithTheClock()
    {
        await using var me = await host.SignInAsync(host.NewTenant(out _), "me@example.com");
        var send = await me.SendAsync("SendMessage", new { contactId = "ignore@example.com", message = "hi", messageId = "m-1" });
        await me.WaitForAsync(f => f.Id == send, "PROCESSING");
        await me.ExpectNothingPendingAsync();

        host.Clock.Advance(TimeSpan.FromSeconds(60));

        var update = await me.EventAsync("MessageUpdate");
        update.Data!["type"]!.GetValue<string>().Should().Be("ack");
        update.Data!["status"]!.GetValue<string>().Should().Be("timeout");
    }
}

/// <summary>The contract on one node, the in-memory engine.</summary>
public sealed class SimulatedUserTests(BemsHost host) : SimulatedUserContract(host), IClassFixture<BemsHost>;

/// <summary>The contract on two nodes of the Orleans engine, each client on the other node than the one before.</summary>
public sealed class SimulatedUserClusterTests(ClusterHost host) : SimulatedUserContract(host), IClassFixture<ClusterHost>;
