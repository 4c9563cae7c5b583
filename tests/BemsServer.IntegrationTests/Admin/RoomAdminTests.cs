using System.Net;
using BemsServer.IntegrationTests.Infrastructure;
using BemsServer.IntegrationTests.Rooms;

namespace BemsServer.IntegrationTests.Admin;

/// <summary>Rooms through the admin API: every room (Secret ones too), one room's people and history, disable.</summary>
public sealed class RoomAdminTests(BemsHost host) : IClassFixture<BemsHost>
{
    private static string[] Strings(System.Text.Json.Nodes.JsonNode node) => [.. node.AsArray().Select(static n => n!.GetValue<string>())];

    [Fact]
    public async Task Rooms_OnTheDefaultTenant_ListEverySeededRoomIncludingTheSecretOne()
    {
        using var admin = AdminApi.For(host);

        var rooms = (await admin.GetAsync("rooms")).AsArray();

        rooms.Select(static r => r!["name"]!.GetValue<string>()).Should().Equal("Leadership", "Project updates", "Welcome");
        rooms[0]!["privacy"]!.GetValue<string>().Should().Be("secret");
    }

    [Fact]
    public async Task RoomDetail_AfterAPostOverTheWire_ShowsPeopleAndTheRecentHistory()
    {
        var uri = host.NewTenant(out var name);
        using var admin = AdminApi.For(host, name);
        await using var alice = await host.SignInAsync(uri, "alice@example.com");
        var roomId = (await admin.GetAsync("rooms")).AsArray().Single(static r => r!["name"]!.GetValue<string>() == "Welcome")!["id"]!.GetValue<string>();
        await alice.PcAsync("pc.JoinRoom", new { roomId });
        await alice.PcAsync("pc.SendMessage", new { roomId, message = "Hello from alice", messageId = "a1" });

        var room = await admin.GetAsync("rooms/Welcome?limit=2");

        room["id"]!.GetValue<string>().Should().Be(roomId);
        Strings(room["managers"]!).Should().Equal("sip:alice@example.com");
        Strings(room["members"]!).Should().Equal("sip:alice@example.com", "sip:bob@example.com", "sip:carol@example.com");
        Strings(room["participants"]!).Should().Equal(["sip:accept@example.com", "sip:alice@example.com", "sip:echo@example.com"], "the poster's authors take part");
        room["messages"]!.GetValue<int>().Should().Be(3);
        var history = room["history"]!.AsArray();
        history.Select(static m => m!["author"]!.GetValue<string>()).Should().Equal("sip:bob@example.com", "sip:alice@example.com");
        history[1]!["text"]!.GetValue<string>().Should().Be("Hello from alice");
    }

    [Fact]
    public async Task RoomDisable_ByItsGuid_TellsParticipantsAndRefusesLaterPosts()
    {
        var uri = host.NewTenant(out var name);
        using var admin = AdminApi.For(host, name);
        await using var alice = await host.SignInAsync(uri, "alice@example.com");
        await using var bob = await host.SignInAsync(uri, "bob@example.com");
        var roomId = await alice.CreateRoomAsync(new { name = "Short-lived", members = new[] { "bob@example.com" }, skipInvitations = true, follow = true });
        await bob.PcAsync("pc.JoinRoom", new { roomId });

        using var response = await admin.SendAsync(HttpMethod.Post, $"rooms/{roomId[(roomId.LastIndexOf('/') + 1)..]}/disable");

        response.StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await bob.RoomEventAsync("pc.RoomSettingsChanged", roomId)).Data!["isDisabled"]!.GetValue<bool>().Should().BeTrue();
        var room = await admin.GetAsync("rooms/Short-lived");
        room["disabled"]!.GetValue<bool>().Should().BeTrue();
        room["participants"]!.AsArray().Should().BeEmpty();
        (await alice.PcErrorAsync("pc.SendMessage", new { roomId, message = "anyone?", messageId = "a2" })).Should().NotBeNull();
    }

    [Fact]
    public async Task Rooms_UnknownRoom_Answer404()
    {
        host.NewTenant(out var name);
        using var admin = AdminApi.For(host, name);

        using var get = await admin.SendAsync(HttpMethod.Get, "rooms/no-such-room");
        using var disable = await admin.SendAsync(HttpMethod.Post, "rooms/no-such-room/disable");

        get.StatusCode.Should().Be(HttpStatusCode.NotFound);
        disable.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }
}
