using System.Net;
using BemsServer.IntegrationTests.Infrastructure;

namespace BemsServer.IntegrationTests.Admin;

/// <summary>Push records of background sessions through the admin API: list, filter by user, clear.</summary>
public sealed class PushAdminTests(BemsHost host) : IClassFixture<BemsHost>
{
    [Fact]
    public async Task Pushes_BackgroundSessionsGetInvitations_RecordsListedFilteredByUserAndCleared()
    {
        var uri = host.NewTenant(out var name);
        using var admin = AdminApi.For(host, name);
        await using var alice = await host.SignInAsync(uri, "alice@example.com");
        await using var carol = await host.SignInAsync(uri, "carol@example.com");
        await using var bob = await host.SignInAsync(uri, "bob@example.com");
        await alice.CallAsync("NotifyBackground", new { isBackgroundMode = true, pushType = 3 });
        await carol.CallAsync("NotifyBackground", new { isBackgroundMode = true, pushType = "SenderandMessage" });

        await bob.CallAsync("StartChat", new { contactId = "alice@example.com" });
        await alice.EventAsync("InvitationReceived");
        await bob.CallAsync("StartChat", new { contactId = "carol@example.com" });
        await carol.EventAsync("InvitationReceived");

        (await admin.GetAsync("pushes")).AsArray().Should().HaveCount(2);
        var alices = (await admin.GetAsync("pushes?user=SIP:Alice@example.com")).AsArray();
        alices.Should().ContainSingle();
        alices[0]!["userId"]!.GetValue<string>().Should().Be("sip:alice@example.com");
        alices[0]!["event"]!.GetValue<string>().Should().Be("InvitationReceived");
        alices[0]!["text"]!.GetValue<string>().Should().Be("New chat invitation from Bob Brown");
        await admin.DeleteAsync("pushes");
        (await admin.GetAsync("pushes")).AsArray().Should().BeEmpty();
    }

    [Fact]
    public async Task Pushes_Limit_KeepsOnlyTheNewest_StillOldestFirst()
    {
        host.NewTenant(out var name);
        using var admin = AdminApi.For(host, name);
        using var http = new BemsServices.ServiceHttp(host, name);
        await admin.PostAsync("pushes/tokens", new { token = "gnp-alice", userId = "alice@example.com" }, HttpStatusCode.Created);
        await admin.PostAsync("pushes/tokens", new { token = "gnp-other" }, HttpStatusCode.Created);
        foreach (var (text, token) in new[] { ("one", "gnp-alice"), ("two", "gnp-alice"), ("three", "gnp-other") })
            await http.PostAsync("/GNP1.0?method=notify", text, [("X-Good-GNP-Token", token)], "text/plain");

        static async Task<string> Texts(AdminApi admin, string query) =>
            string.Join(",", (await admin.GetAsync("pushes" + query)).AsArray().Select(static r => r!["text"]!.GetValue<string>()));

        (await Texts(admin, "")).Should().Be("one,two,three");
        (await Texts(admin, "?limit=2")).Should().Be("two,three");
        (await Texts(admin, "?limit=0")).Should().Be("three", "a limit below 1 is 1");
        (await Texts(admin, "?limit=1&user=alice@example.com")).Should().Be("two", "the limit applies to the user's records");
    }

    [Fact]
    public async Task Pushes_ForegroundSession_RecordsNothing()
    {
        var uri = host.NewTenant(out var name);
        using var admin = AdminApi.For(host, name);
        await using var alice = await host.SignInAsync(uri, "alice@example.com");
        await using var bob = await host.SignInAsync(uri, "bob@example.com");

        await bob.CallAsync("StartChat", new { contactId = "alice@example.com" });
        await alice.EventAsync("InvitationReceived");

        (await admin.GetAsync("pushes")).AsArray().Should().BeEmpty();
    }
}
