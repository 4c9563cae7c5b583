using System.Net;
using System.Net.Http.Json;
using BemsServer.IntegrationTests.Infrastructure;

namespace BemsServer.IntegrationTests.Admin;

/// <summary>Presence through the API: inject as a user, and the scenario step <c>presence</c>.</summary>
public sealed class PresenceInjectTests(BemsHost host) : IClassFixture<BemsHost>
{
    /// <summary>Alice watches bob (a temporary registration) and sees him come online.</summary>
    private async Task<(WireClient Alice, WireClient Bob)> WatchBobAsync(Uri tenant)
    {
        var alice = await host.SignInAsync(tenant, "alice@example.com");
        await alice.CallAsync("RegisterTempRemotePresence", new { contactId = "bob@example.com" });
        await alice.EventAsync("PresenceUpdate");
        var bob = await host.SignInAsync(tenant, "bob@example.com");
        (await alice.EventAsync("PresenceUpdate")).Data!["presence"]!.GetValue<string>().Should().Be("available");
        return (alice, bob);
    }

    [Fact]
    public async Task InjectPresence_AsAUser_WatcherSeesTheSameFramesAsFromARealSetPresence()
    {
        var (aliceReal, bobReal) = await WatchBobAsync(host.NewTenant(out _));
        await using var _1 = aliceReal;
        await using var _2 = bobReal;
        await bobReal.CallAsync("SetPresence", new { presence = "busy", personalMessage = "In a meeting" });
        await aliceReal.EventAsync("PresenceUpdate");
        await bobReal.CallAsync("SetPersonalMessage", new { personalMessage = "" });
        await aliceReal.EventAsync("PresenceUpdate");

        var (aliceInjected, bobInjected) = await WatchBobAsync(host.NewTenant(out var name));
        await using var _3 = aliceInjected;
        await using var _4 = bobInjected;
        using var admin = AdminApi.For(host, name);
        var set = await admin.PostAsync("users/bob@example.com/presence", new { presence = "Busy", personalMessage = "In a meeting" });
        await aliceInjected.EventAsync("PresenceUpdate");
        var cleared = await admin.PostAsync("users/bob@example.com/presence", new { personalMessage = "" });
        await aliceInjected.EventAsync("PresenceUpdate");

        aliceInjected.History.Select(static f => f.Text).Should().Equal(aliceReal.History.Select(static f => f.Text));
        set["outcome"]!.AsArray().Select(static o => o!.GetValue<string>()).Should().Equal("SetPresence COMPLETE");
        cleared["outcome"]!.AsArray().Select(static o => o!.GetValue<string>()).Should().Equal("SetPersonalMessage COMPLETE");
        await bobInjected.ExpectNothingPendingAsync();
        await aliceInjected.ExpectNothingPendingAsync();
    }

    [Fact]
    public async Task UserView_ShowsThePresenceWatchersSee()
    {
        var tenant = host.NewTenant(out var name);
        await using var bob = await host.SignInAsync(tenant, "bob@example.com");
        using var admin = AdminApi.For(host, name);
        (await admin.GetAsync("users/bob@example.com"))["presence"]!.GetValue<string>().Should().Be("available");

        await bob.CallAsync("SetPresence", new { presence = "busy", personalMessage = "In a meeting" });

        var view = await admin.GetAsync("users/bob@example.com");
        view["presence"]!.GetValue<string>().Should().Be("busy");
        view["personalMessage"]!.GetValue<string>().Should().Be("In a meeting");
        (await admin.GetAsync("users/carol@example.com"))["presence"]!.GetValue<string>().Should().Be("offline");
    }

    [Fact]
    public async Task InjectPresence_UnknownPresenceOrEmptyBody_Answers400()
    {
        host.NewTenant(out var name);
        using var admin = AdminApi.For(host, name);

        using var unknown = await admin.SendAsync(HttpMethod.Post, "users/bob@example.com/presence", new { presence = "sleeping" });
        using var empty = await admin.SendAsync(HttpMethod.Post, "users/bob@example.com/presence", new { });

        unknown.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        empty.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task ScenarioPresenceStep_OnAnInvitation_WatchersSeeTheScriptedPresence()
    {
        var uri = host.NewTenant(out var name);
        using var admin = AdminApi.For(host, name);
        using var put = await admin.Http.PutAsJsonAsync($"{admin.Prefix}users/bob@example.com/scenario", new
        {
            on = new object[]
            {
                new { @event = "invitation", steps = new object[] { new { @do = "presence", presence = "doNotDisturb", personalMessage = "Busy, sorry" }, new { @do = "decline" } } },
            },
        });
        put.StatusCode.Should().Be(HttpStatusCode.OK, await put.Content.ReadAsStringAsync());
        await using var alice = await host.SignInAsync(uri, "alice@example.com");
        await alice.CallAsync("RegisterTempRemotePresence", new { contactId = "bob@example.com" });
        (await alice.EventAsync("PresenceUpdate")).Data!["presence"]!.GetValue<string>().Should().Be("available", "a scripted user is signed in");

        await alice.CallAsync("StartChat", new { contactId = "bob@example.com" });

        var update = await alice.EventAsync("PresenceUpdate");
        update.Data!["presence"]!.GetValue<string>().Should().Be("donotdisturb");
        update.Data!["personalMessage"]!.GetValue<string>().Should().Be("Busy, sorry");
        (await alice.EventAsync("InvitationUpdate")).Data!["status"]!.GetValue<string>().Should().Be("Declined");
    }

    [Fact]
    public async Task ScenarioPresenceStep_WithAnUnknownPresence_IsRefused()
    {
        host.NewTenant(out var name);
        using var admin = AdminApi.For(host, name);

        using var put = await admin.Http.PutAsJsonAsync($"{admin.Prefix}users/bob@example.com/scenario", new
        {
            on = new object[] { new { @event = "invitation", steps = new object[] { new { @do = "presence", presence = "sleeping" } } } },
        });

        put.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }
}
