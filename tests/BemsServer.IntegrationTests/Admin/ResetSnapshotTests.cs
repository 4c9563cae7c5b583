using System.Net;
using BemsServer.IntegrationTests.Infrastructure;

namespace BemsServer.IntegrationTests.Admin;

/// <summary>Reset (traffic, all) and snapshot export/import.</summary>
public sealed class ResetSnapshotTests(BemsHost host) : IClassFixture<BemsHost>
{
    [Fact]
    public async Task ResetTraffic_ClearsJournalChatsAndFaults_KeepsUsersAndSessions()
    {
        var uri = host.NewTenant(out var name);
        using var admin = AdminApi.For(host, name);
        await using var alice = await host.SignInAsync(uri, "alice@example.com");
        await using var bob = await host.SignInAsync(uri, "bob@example.com");
        await admin.PostAsync("users", new { id = "extra@example.com" }, HttpStatusCode.Created);
        await admin.AddFaultAsync(new { method = "EndChat", action = "error" });
        await alice.CallAsync("StartChat", new { contactId = "bob@example.com" });
        await bob.EventAsync("InvitationReceived");

        (await admin.SendAsync(HttpMethod.Post, "reset?scope=traffic")).StatusCode.Should().Be(HttpStatusCode.NoContent);

        (await admin.GetAsync("chats")).AsArray().Should().BeEmpty();
        (await admin.GetAsync("faults")).AsArray().Should().BeEmpty();
        (await admin.GetAsync("journal"))["entries"]!.AsArray().Should().BeEmpty();
        (await admin.GetAsync("users/extra@example.com"))["id"]!.GetValue<string>().Should().Be("sip:extra@example.com");
        await alice.ExpectNothingPendingAsync();
    }

    [Fact]
    public async Task ResetAll_TenantStartsAgainFromTheSeed()
    {
        var uri = host.NewTenant(out var name);
        using var admin = AdminApi.For(host, name);
        await using var alice = await host.SignInAsync(uri, "alice@example.com");
        await admin.PostAsync("users", new { id = "extra@example.com" }, HttpStatusCode.Created);

        (await admin.SendAsync(HttpMethod.Post, "reset")).StatusCode.Should().Be(HttpStatusCode.NoContent);

        (await alice.WaitForCloseAsync()).Should().Be((System.Net.WebSockets.WebSocketCloseStatus)1012);
        (await admin.SendAsync(HttpMethod.Get, "users/extra@example.com")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Snapshot_ExportedChangedAndImported_RoundTripsUsersFaultsAndScripts()
    {
        host.NewTenant(out var name);
        using var admin = AdminApi.For(host, name);
        await admin.PostAsync("users", new { id = "robot@example.com", displayName = "Robot", behavior = "decline" }, HttpStatusCode.Created);
        await admin.AddFaultAsync(new { method = "Ping", action = "dropComplete", times = 2 });
        await admin.Http.PutAsync($"admin/t/{name}/users/alice@example.com/scenario", System.Net.Http.Json.JsonContent.Create(
            new { on = new object[] { new { @event = "invitation", steps = new object[] { new { @do = "decline" } } } } }));
        var exported = await admin.GetAsync("snapshot");

        await admin.DeleteAsync("users/robot@example.com");
        await admin.DeleteAsync("faults");
        await admin.PostAsync("users", new { id = "stranger@example.com" }, HttpStatusCode.Created);
        var imported = await admin.PostAsync("snapshot", exported);

        imported.ToJsonString().Should().Be(exported.ToJsonString());
        (await admin.GetAsync("users/robot@example.com"))["online"]!.GetValue<bool>().Should().BeTrue("a declining simulated user is signed in again");
        (await admin.SendAsync(HttpMethod.Get, "users/stranger@example.com")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }
}
