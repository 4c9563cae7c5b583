using BemsServer.IntegrationTests.Infrastructure;

namespace BemsServer.IntegrationTests.Im;

/// <summary>Presence: what watchers (contact-list owners, temporary registrations) see, and nobody else.</summary>
public abstract class PresenceContract(BemsHost host)
{
    [Fact]
    public async Task PresenceChange_OfAListedContact_ReachesTheWatcherAndNotANonWatcher()
    {
        var tenant = host.NewTenant(out _);
        await using var watcher = await host.SignInAsync(tenant, "me@example.com");
        await using var bystander = await host.SignInAsync(tenant, "user3@example.com");
        var user2 = await host.SignInAsync(tenant, "user2@example.com");
        (await watcher.EventAsync("PresenceUpdate")).Data!["presence"]!.GetValue<string>().Should().Be("available");

        await user2.CallAsync("SetPresence", new { presence = "Busy", personalMessage = "In a meeting" });

        FrameAssert.Matches(await watcher.EventAsync("PresenceUpdate"), """
            {"id":"<S-id>","sequence":"<sequence>","error":null,"result":{"data":{"contactId":"sip:user2@example.com","presence":"busy","availability":"6500","personalMessage":"In a meeting","method":"PresenceUpdate"}},"jsonrpc":"2.0"}
            """);
        await user2.CallAsync("SetPersonalMessage", new { personalMessage = "" });
        (await watcher.EventAsync("PresenceUpdate")).Data!["personalMessage"]!.GetValue<string>().Should().BeEmpty();
        await user2.DisposeAsync();
        (await watcher.EventAsync("PresenceUpdate")).Data!["presence"]!.GetValue<string>().Should().Be("offline");
        await bystander.ExpectNothingPendingAsync();
        await watcher.ExpectNothingPendingAsync();
    }

    [Fact]
    public async Task BeginSession_WithPresenceAndPersonalMessage_WatchersSeeThemInOneUpdate()
    {
        var tenant = host.NewTenant(out _);
        await using var watcher = await host.SignInAsync(tenant, "me@example.com");
        await using var user2 = await host.ConnectAsync(tenant);

        await user2.CallAsync("BeginSession", new { gdAuthToken = "user2@example.com", presence = "away", personalMessage = "Lunch" });

        var update = await watcher.EventAsync("PresenceUpdate");
        update.Data!["presence"]!.GetValue<string>().Should().Be("away");
        update.Data!["personalMessage"]!.GetValue<string>().Should().Be("Lunch");
        await watcher.ExpectNothingPendingAsync();
        (await watcher.CallAsync("GetContactsState", new { contactIds = new[] { "user2@example.com" } })).Complete.Data!["contacts"]![0]!
            ["availability"]!.GetValue<string>().Should().Be("15500");
    }

    [Fact]
    public async Task TemporaryRegistration_UntilUnregistered_DeliversTheContactsChanges()
    {
        var tenant = host.NewTenant(out _);
        await using var watcher = await host.SignInAsync(tenant, "user33@example.com");

        await watcher.CallAsync("RegisterTempRemotePresence", new { contactId = "user1@example.com" });
        (await watcher.EventAsync("PresenceUpdate")).Data!["presence"]!.GetValue<string>().Should().Be("offline", "the current state follows at once");
        await using var user1 = await host.SignInAsync(tenant, "user1@example.com");
        (await watcher.EventAsync("PresenceUpdate")).Data!["presence"]!.GetValue<string>().Should().Be("available");

        var (_, removed) = await watcher.CallAsync("UnRegisterTempRemotePresenceSubscription", new { contactIds = "sip:user1@example.com" });
        removed.Method.Should().Be("UnRegisterTempRemotePresenceSubscription");
        await user1.CallAsync("SetPresence", new { presence = "busy" });

        await watcher.ExpectNothingPendingAsync();
    }

    [Fact]
    public async Task GetContactsState_SimulatedUserAndOfflineUser_ReportSeededPresenceAndOffline()
    {
        await using var me = await host.SignInAsync(host.NewTenant(out _), "me@example.com");

        var (_, complete) = await me.CallAsync("GetContactsState", new { contactIds = new[] { "echo@example.com", "sip:user1@example.com" } });

        FrameAssert.Matches(complete, """
            {"id":"<string>","sequence":"<sequence>","result":{"data":{"userId":"sip:me@example.com","contacts":[
              {"contactId":"sip:echo@example.com","presence":"away","availability":"15500","personalMessage":"Bouncing"},
              {"contactId":"sip:user1@example.com","presence":"offline","availability":"18500","personalMessage":"I'm out of office today."}],
              "method":"GetContactsState","state":"COMPLETE"}},"jsonrpc":"2.0"}
            """);
    }

    [Fact]
    public async Task GetContactState_TheTablesSpelling_AnswersAsGetContactsState()
    {
        await using var me = await host.SignInAsync(host.NewTenant(out _), "me@example.com");

        var (processing, complete) = await me.CallAsync("GetContactState", new { contactIds = new[] { "echo@example.com" } });

        processing.Data!["method"]!.GetValue<string>().Should().Be("GetContactsState");
        complete.Data!["contacts"]![0]!["contactId"]!.GetValue<string>().Should().Be("sip:echo@example.com");
        complete.Data!["method"]!.GetValue<string>().Should().Be("GetContactsState");
    }
}

/// <summary>The contract on one node, the in-memory engine.</summary>
public sealed class PresenceTests(ImHost host) : PresenceContract(host), IClassFixture<ImHost>;

/// <summary>The contract on two nodes of the Orleans engine, each client on the other node than the one before.</summary>
public sealed class PresenceClusterTests(ImClusterHost host) : PresenceContract(host), IClassFixture<ImClusterHost>;
