using BemsServer.Protocol.Admin;
using BemsServer.Protocol.Data;

namespace BemsServer.Client.Tests;

/// <summary>SendMessageAsync resolves to the message's one outcome, from its COMPLETE or its MessageUpdate.</summary>
public sealed class SendOutcomeTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    [Fact]
    public async Task SendMessage_ToEcho_DeliveredWithTheChatIdAndEchoedBack()
    {
        await using var alice = await EmulatorFixture.SignInAsync(fixture.Emulator.NewTenant(), "alice@example.com");

        var outcome = await alice.SendMessageAsync("echo@example.com", "Are you there?", "m1");

        outcome.Kind.Should().Be(SendOutcomeKind.Delivered);
        outcome.MessageId.Should().Be("m1");
        var echo = await alice.WaitForEventAsync<MessageReceivedData>(m => m.ChatId == outcome.ChatId);
        echo.Message.Should().Be("Are you there?");
        echo.ContactId.Should().Be("sip:echo@example.com");
    }

    [Fact]
    public async Task SendMessage_ToDecline_Declined()
    {
        await using var alice = await EmulatorFixture.SignInAsync(fixture.Emulator.NewTenant(), "alice@example.com");

        var outcome = await alice.SendMessageAsync("decline@example.com", "hi", "m1");

        outcome.Should().Be(new SendOutcome(SendOutcomeKind.Declined, "m1", null, "declined", "terminated"));
    }

    [Fact]
    public async Task SendMessage_ToIgnore_TimedOutOnceTheVirtualClockPassesTheInvitationTimeout()
    {
        var tenant = fixture.Emulator.NewTenant();
        await using var alice = await EmulatorFixture.SignInAsync(tenant, "alice@example.com");

        var sending = alice.SendMessageAsync("ignore@example.com", "hello?", "m1");
        await tenant.WaitForFrameAsync(new JournalFilter { Kind = "response", Method = "SendMessage" }).WaitAsync(EmulatorFixture.Bound);
        sending.IsCompleted.Should().BeFalse("the invitation waits for an answer until the clock moves");
        await fixture.Emulator.AdvanceClockAsync(TimeSpan.FromSeconds(61)).WaitAsync(EmulatorFixture.Bound);

        (await sending).Should().Be(new SendOutcome(SendOutcomeKind.TimedOut, "m1", null, "ack", "timeout"));
    }

    [Fact]
    public async Task SendMessage_BetweenTwoClients_DeliveredOnceTheInviteeAccepts()
    {
        var tenant = fixture.Emulator.NewTenant();
        await using var alice = await EmulatorFixture.SignInAsync(tenant, "alice@example.com");
        await using var bob = await EmulatorFixture.SignInAsync(tenant, "bob@example.com");

        var sending = alice.SendMessageAsync("bob@example.com", "lunch?");
        var invitation = await bob.WaitForEventAsync<InvitationReceivedData>();
        invitation.ContactId.Should().Be("sip:alice@example.com");
        var chatId = await bob.AcceptChatAsync(invitation.RequestId);

        (await sending).Should().Match<SendOutcome>(o => o.Kind == SendOutcomeKind.Delivered && o.ChatId == chatId);
        (await bob.WaitForEventAsync<MessageReceivedData>()).Message.Should().Be("lunch?");
    }
}
