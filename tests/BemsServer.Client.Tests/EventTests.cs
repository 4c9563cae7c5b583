using BemsServer.Protocol.Data;

namespace BemsServer.Client.Tests;

/// <summary>Server events arrive as the protocol's records, through WaitForEventAsync and ReadEventsAsync.</summary>
public sealed class EventTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    [Fact]
    public async Task WaitForEvent_PassedOverEvents_StayForLaterWaits()
    {
        var tenant = fixture.Emulator.NewTenant();
        await using var alice = await EmulatorFixture.SignInAsync(tenant, "alice@example.com");
        await using var bob = await EmulatorFixture.SignInAsync(tenant, "bob@example.com");
        var chat = await StartChatAsync(alice, bob);

        await alice.StartTypingAsync("bob@example.com", chat);
        await alice.StopTypingAsync("bob@example.com", chat);

        (await bob.WaitForEventAsync(e => e.Method == "TypingStopped")).Should().BeOfType<TypingData>();
        var started = await bob.WaitForEventAsync<TypingData>();
        started.Should().Be(new TypingData("TypingStarted", chat, "sip:alice@example.com"), "the earlier event was passed over, not lost");
    }

    [Fact]
    public async Task WaitForEvent_NothingMatches_TimesOutNamingTheUnconsumedEvents()
    {
        var tenant = fixture.Emulator.NewTenant();
        await using var alice = await EmulatorFixture.SignInAsync(tenant, "alice@example.com");

        var act = () => alice.WaitForEventAsync<ChatEndedData>(timeout: TimeSpan.FromMilliseconds(200));

        await act.Should().ThrowAsync<TimeoutException>().WithMessage("No ChatEndedData within*");
    }

    [Fact]
    public async Task ReadEvents_Stream_YieldsEachEventInWireOrder()
    {
        var tenant = fixture.Emulator.NewTenant();
        await using var alice = await EmulatorFixture.SignInAsync(tenant, "alice@example.com");
        await using var bob = await EmulatorFixture.SignInAsync(tenant, "bob@example.com");
        var chat = await StartChatAsync(alice, bob);

        await alice.SendMessageAsync("bob@example.com", "one");
        await alice.SendMessageAsync("bob@example.com", "two");
        await alice.EndChatAsync("bob@example.com");

        var seen = new List<BemsData>();
        using var bound = new CancellationTokenSource(EmulatorFixture.Bound);
        await foreach (var e in bob.ReadEventsAsync(bound.Token))
        {
            seen.Add(e);
            if (e is ChatEndedData) break;
        }
        seen.Select(e => e.Method).Should().Equal("MessageReceived", "MessageReceived", "ChatEnded");
        seen.OfType<MessageReceivedData>().Select(m => m.Message).Should().Equal("one", "two");
        seen.OfType<ChatEndedData>().Single().ChatId.Should().Be(chat);
    }

    [Fact]
    public async Task PresenceEvents_WatchedContact_ArriveAsPresenceUpdateRecords()
    {
        var tenant = fixture.Emulator.NewTenant();
        await using var alice = await EmulatorFixture.SignInAsync(tenant, "alice@example.com");
        await using var bob = await EmulatorFixture.SignInAsync(tenant, "bob@example.com");
        await alice.RegisterTempRemotePresenceAsync("bob@example.com");
        (await alice.WaitForEventAsync<PresenceUpdateData>()).Presence.Should().Be("available");

        await bob.SetPresenceAsync("busy", "In a meeting");

        var update = await alice.WaitForEventAsync<PresenceUpdateData>();
        update.Should().Be(new PresenceUpdateData("sip:bob@example.com", "busy", "6500", "In a meeting"));
    }

    /// <summary>Alice invites Bob with StartChat and Bob accepts: returns the chat id.</summary>
    private static async Task<string> StartChatAsync(BemsClient alice, BemsClient bob)
    {
        var started = await alice.StartChatAsync("bob@example.com");
        var invitation = await bob.WaitForEventAsync<InvitationReceivedData>();
        await bob.AcceptChatAsync(invitation.RequestId);
        (await alice.WaitForEventAsync<InvitationUpdateData>()).Status.Should().Be("Accepted");
        return started.RequestIds!;
    }
}
