using System.Net;
using BemsServer.Protocol.Services;

namespace BemsServer.Client.Tests;

/// <summary>
/// The typed client of BEMS's HTTP services and the fixture's push log and channel, on one tenant's shared state: a
/// presence change made over the Connect WebSocket shows in the REST poll and fires a push to the subscriber's token.
/// </summary>
public sealed class ServicesClientTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    [Fact]
    public async Task ConnectPresenceChange_ShowsInTheRestPoll_AndIsPushedOnTheSubscribersChannel()
    {
        var tenant = fixture.Emulator.NewTenant();
        using var services = tenant.CreateServicesClient("alice@example.com");
        var subscribed = await services.SubscribePresenceAsync("n1", ["bob@example.com"], gnpToken: "gnp-alice", deviceId: "phone-1")
            .WaitAsync(EmulatorFixture.Bound);
        await using var channel = await tenant.FollowPushesAsync("gnp-alice").WaitAsync(EmulatorFixture.Bound);
        await using var bob = await EmulatorFixture.SignInAsync(tenant, "bob@example.com");

        await bob.SetPresenceAsync("away").WaitAsync(EmulatorFixture.Bound);

        subscribed.Contacts.Should().Equal(new PresenceEntry("bob@example.com", LyncAvailability.Offline));
        (await channel.ReadAsync(EmulatorFixture.Bound)).Should().Be("""{"service":"presence","notify":"n1","sequence":"2"}""", "bob came online");
        (await channel.ReadAsync(EmulatorFixture.Bound)).Should().Be("""{"service":"presence","notify":"n1","sequence":"3"}""", "bob went away");
        var changes = await services.PollPresenceAsync("n1", subscribed.Sequence).WaitAsync(EmulatorFixture.Bound);
        changes.Should().BeEquivalentTo(new PresenceSnapshot("3", [new PresenceEntry("bob@example.com", LyncAvailability.Away)]));
        var pushes = await tenant.GetPushesAsync("alice@example.com").WaitAsync(EmulatorFixture.Bound);
        pushes.Select(p => (p.Source, p.Event, p.GnpToken, p.DeviceToken)).Should().Equal(
            ("presence", "PresenceChanged", "gnp-alice", "phone-1"), ("presence", "PresenceChanged", "gnp-alice", "phone-1"));
    }

    [Fact]
    public async Task LookupAndContacts_RoundTripThroughTheTypedCalls()
    {
        var tenant = fixture.Emulator.NewTenant();
        using var services = tenant.CreateServicesClient("alice@example.com");

        var created = await services.CreateContactAsync(new PersonalContact { FirstName = "Fred", LastName = "Smith", EmailAddress1 = "fred@example.com" })
            .WaitAsync(EmulatorFixture.Bound);
        var updated = await services.UpdateContactAsync(new PersonalContact { Id = created.Id, LastName = "Jones" }).WaitAsync(EmulatorFixture.Bound);
        var page = await services.SearchContactsAsync(new ContactSearchRequest("alice@example.com", 10, 0, ["DisplayName", "EmailAddress"]))
            .WaitAsync(EmulatorFixture.Bound);
        var found = await services.LookupUsersAsync(new LookupUserRequest("alice@example.com", "Jones", 0, true, ["FullName", "EmailAddress"]))
            .WaitAsync(EmulatorFixture.Bound);

        created.Id.Should().Be("1");
        updated.DisplayName.Should().Be("Fred Jones");
        page.LookupInfo.Should().Be(new ContactLookupInfo(1, 1));
        page.Contacts.Should().ContainSingle().Which.Should().Equal(new Dictionary<string, string> { ["DisplayName"] = "Fred Jones", ["EmailAddress"] = "fred@example.com" });
        found.Should().ContainSingle().Which.Should().Equal(new Dictionary<string, string> { ["FullName"] = "Fred Jones", ["EmailAddress"] = "fred@example.com" });
    }

    [Fact]
    public async Task Notify_KnownTokenTrue_UnknownFalse_AndARefusalIsATypedException()
    {
        var tenant = fixture.Emulator.NewTenant();
        await tenant.AddPushTokenAsync("gnp-app", "carol@example.com").WaitAsync(EmulatorFixture.Bound);
        using var services = tenant.CreateServicesClient("carol@example.com");
        await using var channel = await tenant.FollowPushesAsync("gnp-app").WaitAsync(EmulatorFixture.Bound);

        (await services.NotifyAsync("gnp-app", "hello").WaitAsync(EmulatorFixture.Bound)).Should().BeTrue();
        (await services.NotifyAsync("gnp-unknown", "hello").WaitAsync(EmulatorFixture.Bound)).Should().BeFalse();
        (await channel.ReadAsync(EmulatorFixture.Bound)).Should().Be("hello");
        var poll = () => services.PollPresenceAsync("never-subscribed");
        (await poll.Should().ThrowAsync<BemsServiceException>()).Which.Status.Should().Be(HttpStatusCode.NotFound);
        (await tenant.GetPushesAsync().WaitAsync(EmulatorFixture.Bound)).Should().ContainSingle()
            .Which.Should().Match<PushEntry>(p => p.Source == "notify" && p.UserId == "sip:carol@example.com" && p.Text == "hello");
    }
}
