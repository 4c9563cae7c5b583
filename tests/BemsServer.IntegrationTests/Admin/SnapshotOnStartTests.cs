using System.Net;
using BemsServer.IntegrationTests.Infrastructure;

namespace BemsServer.IntegrationTests.Admin;

/// <summary>
/// A host started with <c>Bems:Admin:SnapshotFile</c>: its default tenant has exactly alice, bob and an echoing robot,
/// a fault rule failing alice's Ping, and a script for bob that declines invitations.
/// </summary>
public sealed class SnapshotOnStartHost() : BemsHost(new() { ["Bems:Admin:SnapshotFile"] = SnapshotFile.Value })
{
    private static readonly Lazy<string> SnapshotFile = new(() =>
    {
        var path = Path.Combine(Path.GetTempPath(), $"bems-snapshot-{Environment.ProcessId}.json");
        File.WriteAllText(path, """
            {
              "users": [
                { "id": "sip:alice@example.com", "displayName": "Alice" },
                { "id": "sip:bob@example.com", "displayName": "Bob" },
                { "id": "sip:robot@example.com", "displayName": "Robot", "behavior": "echo" } ],
              "faults": [ { "method": "Ping", "user": "alice@example.com", "action": "error", "errorCode": -32050, "errorMessage": "From the snapshot" } ],
              "scenarios": [ { "user": "sip:bob@example.com", "scenario": { "on": [ { "event": "invitation", "steps": [ { "do": "decline" } ] } ] } } ]
            }
            """);
        return path;
    });
}

/// <summary>A snapshot imported at start shapes the default tenant before the first call.</summary>
public sealed class SnapshotOnStartTests(SnapshotOnStartHost host) : IClassFixture<SnapshotOnStartHost>
{
    [Fact]
    public async Task SnapshotFile_AtStart_ReplacesTheDefaultTenantsDirectory()
    {
        using var admin = AdminApi.For(host);

        var users = (await admin.GetAsync("users")).AsArray();

        users.Select(static u => u!["id"]!.GetValue<string>()).Should().Equal("sip:alice@example.com", "sip:bob@example.com", "sip:robot@example.com");
        users[2]!["online"]!.GetValue<bool>().Should().BeTrue("an echoing user is simulated, always signed in");
    }

    [Fact]
    public async Task SnapshotFile_AtStart_ItsFaultRuleAndScriptActOnTheWire()
    {
        await using var alice = await host.SignInAsync(host.DefaultUri, "alice@example.com");

        var ping = await alice.RequestAsync("Ping");
        await alice.CallAsync("StartChat", new { contactId = "bob@example.com" });

        ping.Json["error"]!["code"]!.GetValue<int>().Should().Be(-32050);
        (await alice.EventAsync("InvitationUpdate")).Data!["status"]!.GetValue<string>().Should().Be("Declined", "bob's script declines");
    }

    [Fact]
    public async Task SnapshotFile_AtStart_NamedTenantsStillStartFromTheSeed()
    {
        host.NewTenant(out var name);
        using var admin = AdminApi.For(host, name);

        using var carol = await admin.SendAsync(HttpMethod.Get, "users/carol@example.com");

        carol.StatusCode.Should().Be(HttpStatusCode.OK);
        (await admin.GetAsync("faults")).AsArray().Should().BeEmpty();
    }
}
