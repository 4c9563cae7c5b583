using System.Text.Json.Nodes;
using BemsServer.IntegrationTests.Infrastructure;

namespace BemsServer.IntegrationTests.Rooms;

/// <summary>
/// Bad input to each pc.* method gets its error (code and offending parameter) and leaves every room as it was: the
/// room's details, participants, history and the caller's room lists are compared before and after.
/// </summary>
public sealed class RoomBadInputTests(BemsHost host) : IClassFixture<BemsHost>
{
    private const string Unknown = "ma-chan://gems.example.com/00000000-0000-4000-8000-000000000000";

    public static TheoryData<string, string, string, int, string> Cases => new()
    {
        { "alice", "pc.CreateRoom", """{"description":"no name"}""", -32602, "name" },
        { "alice", "pc.CreateRoom", $$"""{"name":"{{new string('n', 257)}}"}""", -32602, "name" },
        { "alice", "pc.CreateRoom", $$"""{"name":"Ok","description":"{{new string('d', 257)}}"}""", -32602, "description" },
        { "alice", "pc.CreateRoom", """{"name":"BASE"}""", -32011, "name" },
        { "alice", "pc.CreateRoom", """{"name":"Ok","privacy":"Public"}""", -32602, "privacy" },
        { "alice", "pc.CreateRoom", """{"name":"Ok","managers":"sip:alice@example.com"}""", -32602, "managers" },
        { "alice", "pc.CreateRoom", """{"name":"Ok","members":["nobody@nowhere.example"]}""", -32003, "members" },
        { "alice", "pc.CreateRoom", """{"name":"Ok","category":"nope"}""", -32015, "category" },
        { "bob", "pc.CreateRoom", """{"name":"Ok","category":"announcements"}""", -32015, "category" },
        { "alice", "pc.UpdateRoom", """{"roomId":"{room}"}""", -32602, "newName" },
        { "alice", "pc.UpdateRoom", """{"roomId":"{room}","newName":"welcome"}""", -32011, "newName" },
        { "alice", "pc.UpdateRoom", """{"roomId":"{room}","newName":"x","newPrivacy":"Hidden"}""", -32602, "newPrivacy" },
        { "alice", "pc.UpdateRoom", """{"roomId":"{unknown}","newName":"x"}""", -32010, "roomId" },
        { "alice", "pc.UpdateRoom", """{"roomId":"{room}","newCategory":"nope"}""", -32015, "newCategory" },
        { "bob", "pc.UpdateRoom", """{"roomId":"{room}","newDescription":"mine"}""", -32012, "roomId" },
        { "alice", "pc.DisableRoom", """{}""", -32602, "roomId" },
        { "alice", "pc.DisableRoom", """{"roomId":"{unknown}"}""", -32010, "roomId" },
        { "bob", "pc.DisableRoom", """{"roomId":"{room}"}""", -32012, "roomId" },
        { "alice", "pc.GetRoom", """{"roomId":42}""", -32602, "roomId" },
        { "alice", "pc.GetRoom", """{"roomId":"25ac15e7-9bff-4e78-9261-6e08aa43231e"}""", -32602, "roomId" },
        { "alice", "pc.SearchRooms", """{"searchDesc":true}""", -32602, "searchTerm" },
        { "alice", "pc.SearchRooms", """{"searchTerm":"a","privacy":["Open","Nope"]}""", -32602, "privacy" },
        { "alice", "pc.GetMyRooms", """{"isFollowing":false}""", -32602, "isMemberOf" },
        { "alice", "pc.GetMyRooms", """{"isFollowing":"maybe"}""", -32602, "isFollowing" },
        { "alice", "pc.GetRoomParticipants", """{}""", -32602, "roomId" },
        { "carol", "pc.FollowRooms", """{"roomsToFollow":["{room}"]}""", -32602, "replaceList" },
        { "carol", "pc.FollowRooms", """{"roomsToFollow":["{room}"],"roomsToUnfollow":[],"replaceList":true}""", -32602, "roomsToUnfollow" },
        { "carol", "pc.FollowRooms", """{"replaceList":false}""", -32602, "roomsToFollow" },
        { "carol", "pc.FollowRooms", """{"roomsToFollow":["{room}","{unknown}"],"replaceList":false}""", -32010, "roomsToFollow" },
        { "alice", "pc.FollowRooms", """{"roomsToUnfollow":["{room}","{unknown}"],"replaceList":false}""", -32010, "roomsToUnfollow" },
        { "carol", "pc.JoinRoom", """{"roomId":"{unknown}"}""", -32010, "roomId" },
        { "carol", "pc.LeaveRoom", """{"roomId":"{room}"}""", -32013, "roomId" },
        { "alice", "pc.SendMessage", """{"roomId":"{room}","message":"x"}""", -32602, "messageId" },
        { "alice", "pc.SendMessage", """{"roomId":"{unknown}","message":"x","messageId":"m"}""", -32010, "roomId" },
        { "bob", "pc.SendMessage", """{"roomId":"{room}","message":"x","messageId":"m"}""", -32013, "roomId" },
        { "alice", "pc.GetChatHistory", """{"resultLimit":5}""", -32602, "roomsId" },
        { "alice", "pc.GetChatHistory", """{"roomsId":"{room}","resultLimit":0}""", -32602, "resultLimit" },
        { "alice", "pc.GetChatHistory", """{"roomsId":"{room}","afterMessageId":"last"}""", -32602, "afterMessageId" },
        { "alice", "pc.GetChatHistory", """{"roomsId":"{room}","authors":["not an address"]}""", -32602, "authors" },
        { "alice", "pc.GetChatHistory", """{"roomsId":"{room},{unknown}"}""", -32010, "roomsId" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task RoomMethod_BadInput_IsRefusedAndChangesNothing(string caller, string method, string parameters, int code, string param)
    {
        var tenant = host.NewTenant(out _);
        await using var alice = await host.SignInAsync(tenant, "alice@example.com");
        await using var bob = await host.SignInAsync(tenant, "bob@example.com");
        await using var carol = await host.SignInAsync(tenant, "carol@example.com");
        var roomId = await alice.CreateRoomAsync(new { name = "Base", members = new[] { "bob@example.com" }, skipInvitations = true, follow = true });
        await alice.PcAsync("pc.SendMessage", new { roomId, message = "first", messageId = "a1" });
        await alice.RoomEventAsync("pc.MessageReceived", roomId);
        var before = await SnapshotAsync(alice, roomId);
        var client = caller switch { "alice" => alice, "bob" => bob, _ => carol };

        var error = await client.PcErrorAsync(method, JsonNode.Parse(parameters.Replace("{room}", roomId, StringComparison.Ordinal)
            .Replace("{unknown}", Unknown, StringComparison.Ordinal))!);

        error["code"]!.GetValue<int>().Should().Be(code, error.ToJsonString());
        error["data"]!["method"]!.GetValue<string>().Should().Be(method);
        error["data"]!["param"]!.GetValue<string>().Should().Be(param);
        (await SnapshotAsync(alice, roomId)).Should().Be(before);
        foreach (var other in new[] { alice, bob, carol }) await other.ExpectNothingPendingAsync();
    }

    private static async Task<string> SnapshotAsync(WireClient alice, string roomId)
    {
        var parts = new List<JsonNode?>
        {
            await alice.GetRoomAsync(roomId),
            (await alice.PcAsync("pc.GetRoomParticipants", new { roomId })).Completion.Data,
            await alice.HistoryAsync(new { roomsId = roomId }),
            (await alice.PcAsync("pc.GetMyRooms", new { isManagerOf = true })).Completion.Data,
            (await alice.PcAsync("pc.SearchRooms", new { searchTerm = "a", disabled = true })).Completion.Data,
        };
        return string.Join("\n", parts.Select(p => p?.ToJsonString()));
    }
}
