using System.Net;
using System.Text.Json.Nodes;
using BemsServer.IntegrationTests.Infrastructure;

namespace BemsServer.IntegrationTests.Admin;

/// <summary><c>POST users/{id}/room-post</c>: a room post as a directory user reaches the participants as a real post does.</summary>
public sealed class RoomInjectTests(BemsHost host) : IClassFixture<BemsHost>
{
    private const string Welcome = "ma-chan://gems.example.com/7b0d2a52-4c0e-4d6c-9a51-2f7f3c5e9b10";

    [Fact]
    public async Task RoomPostAsBob_AliceGetsTheFrameARealPostCauses()
    {
        var real = host.NewTenant(out _);
        await using var alice = await FollowerAsync(real, "alice@example.com");
        await using var bob = await FollowerAsync(real, "bob@example.com");
        await bob.RequestAsync("pc.SendMessage", new { roomId = Welcome, message = "standup?", messageId = "p1" });
        var expected = Mask(await alice.EventAsync("pc.MessageReceived"));

        var injected = host.NewTenant(out var name);
        using var admin = AdminApi.For(host, name);
        await using var aliceInjected = await FollowerAsync(injected, "alice@example.com");
        await using var bobInjected = await FollowerAsync(injected, "bob@example.com");
        using var posted = await admin.SendAsync(HttpMethod.Post, "users/bob@example.com/room-post", new { room = Welcome, message = "standup?", messageId = "p1" });
        posted.StatusCode.Should().Be(HttpStatusCode.NoContent);

        Mask(await aliceInjected.EventAsync("pc.MessageReceived")).Should().Be(expected);
    }

    [Fact]
    public async Task RoomPostByAUserWhoHasNotJoined_IsRefusedWith409()
    {
        host.NewTenant(out var name);
        using var admin = AdminApi.For(host, name);
        using var refused = await admin.SendAsync(HttpMethod.Post, "users/carol@example.com/room-post", new { room = Welcome, message = "hi" });
        refused.StatusCode.Should().Be(HttpStatusCode.Conflict);
    }

    private async Task<WireClient> FollowerAsync(Uri tenant, string user)
    {
        var client = await host.SignInAsync(tenant, user);
        await client.RequestAsync("pc.FollowRooms", new { roomsToFollow = new[] { Welcome }, replaceList = false });
        return client;
    }

    private static string Mask(Frame frame)
    {
        var json = (JsonObject)frame.Json.DeepClone();
        json["id"] = "S*";
        json["sequence"] = 0;
        if (json["result"]?["data"] is JsonObject data)
            foreach (var key in new[] { "messageId", "timestamp" })
                if (data.ContainsKey(key)) data[key] = "*";
        return json.ToJsonString();
    }
}
