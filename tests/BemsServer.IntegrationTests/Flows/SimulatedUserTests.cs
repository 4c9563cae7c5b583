using BemsServer.IntegrationTests.Infrastructure;

namespace BemsServer.IntegrationTests.Flows;

/// <summary>The built-in simulated users of the default seed, one behaviour each.</summary>
public sealed class SimulatedUserTests(BemsHost host) : IClassFixture<BemsHost>
{
    [Fact]
    public async Task Echo_FirstMessage_IsAcceptedCompletedAndSentBack()
    {
        await using var me = await host.SignInAsync(host.NewTenant(out _), "me@example.com");

        var (_, complete) = await me.CallAsync("SendMessage", new { contactId = "echo@example.com", message = "ping 1", messageId = "m-1" });
        var echo = await me.EventAsync("MessageReceived");

        echo.Data!["message"]!.GetValue<string>().Should().Be("ping 1");
        echo.Data!["contactId"]!.GetValue<string>().Should().Be("sip:echo@example.com");
        echo.Data!["chatId"]!.GetValue<string>().Should().Be(complete.Data!["chatId"]!.GetValue<string>());
        me.History.FindIndex(f => f == complete).Should().BeLessThan(me.History.FindIndex(f => f == echo));

        await me.CallAsync("SendMessage", new { contactId = "sip:echo@example.com", message = "ping 2", messageId = "m-2" });
        (await me.EventAsync("MessageReceived")).Data!["message"]!.GetValue<string>().Should().Be("ping 2");
    }

    [Fact]
    public async Task Accept_Message_IsDeliveredSilently()
    {
        await using var me = await host.SignInAsync(host.NewTenant(out _), "me@example.com");

        var (_, complete) = await me.CallAsync("SendMessage", new { contactId = "accept@example.com", message = "hi", messageId = "m-1" });

        complete.Data!["chatId"]!.GetValue<string>().Should().NotBeNullOrEmpty();
        await me.ExpectNothingPendingAsync();
    }

    [Fact]
    public async Task Decline_Message_EndsInMessageUpdateDeclined()
    {
        await using var me = await host.SignInAsync(host.NewTenant(out _), "me@example.com");

        await me.SendAsync("SendMessage", new { contactId = "decline@example.com", message = "hi", messageId = "m-1" });

        var update = await me.EventAsync("MessageUpdate");
        update.Data!["type"]!.GetValue<string>().Should().Be("declined");
        update.Data!["messageId"]!.GetValue<string>().Should().Be("m-1");
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
