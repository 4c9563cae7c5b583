using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BemsServer.IntegrationTests.Infrastructure;

namespace BemsServer.IntegrationTests.Rooms;

/// <summary>
/// Each pc.* method and event against the documentation's samples (spec §5, §6.3–6.6), whole frames compared: the
/// sample's room ids are replaced by real ones, server-chosen values become typed placeholders.
/// </summary>
public sealed partial class RoomConformanceTests(RoomHost host) : IClassFixture<RoomHost>
{
    private static string Sample(string method, int index) => SpecSamples.Of(method)[index];

    private static string Expected(string method, int index, string roomId, Action<JsonObject>? adjust = null)
    {
        var node = JsonNode.Parse(SpecSamples.Template(Sample(method, index).WithRoom(roomId)))!.AsObject();
        adjust?.Invoke(node["result"]!["data"]!.AsObject());
        return node.ToJsonString();
    }

    private async Task<(WireClient User1, WireClient User2, WireClient User3)> SignInAsync()
    {
        var tenant = host.NewTenant(out _);
        return (await host.SignInAsync(tenant, "user1@example.com"), await host.SignInAsync(tenant, "user2@example.com"),
            await host.SignInAsync(tenant, "user3@example.com"));
    }

    [Fact]
    public async Task CreateRoom_SampleRequest_AnswersAsTheInferredSamplesAndInvitesTheMember()
    {
        var (user1, user2, user3) = await SignInAsync();
        await using var _1 = user1; await using var _2 = user2; await using var _3 = user3;

        await user1.SendRawAsync(Sample("pc.CreateRoom", 0));

        FrameAssert.Matches(await user1.NextAsync(), SpecSamples.Template(SpecSamples.Response("pc.CreateRoom")));
        var completion = await user1.NextAsync();
        FrameAssert.Matches(completion, Expected("pc.CreateRoom", 2, "x", d => d["id"] = "<string>"));
        var roomId = completion.Data!["id"]!.GetValue<string>();
        roomId.Should().MatchRegex("^ma-chan://gems\\.example\\.com/[0-9a-f-]{36}$");
        FrameAssert.Matches(await user2.EventAsync("pc.InvitationReceived"), RoomWire.EventTemplate(Sample("pc.InvitationReceived", 0).WithRoom(roomId),
            d => { d["numberOfParticipants"] = 2; d["invitationId"] = "<number>"; }));
        await user3.ExpectNothingPendingAsync();
    }

    [Fact]
    public async Task GetRoom_SampleRequest_AnswersTheDocumentedFields()
    {
        var (user1, user2, _) = await SignInAsync();
        await using var _1 = user1; await using var _2 = user2;
        var roomId = await user2.CreateRoomAsync(new { name = "Project updates", members = new[] { "user1@example.com" } });
        await user1.EventAsync("pc.InvitationReceived");

        await user1.SendRawAsync(Sample("pc.GetRoom", 0).WithRoom(roomId));

        FrameAssert.Matches(await user1.NextAsync(), Expected("pc.GetRoom", 1, roomId));
        FrameAssert.Matches(await user1.NextAsync(), Expected("pc.GetRoom", 2, roomId, d =>
        {
            d["category"] = "general";
            d["managers"] = JsonNode.Parse("""[{"name":"user2","displayName":"User 2","id":"sip:user2@example.com"}]""");
            d["members"] = JsonNode.Parse("""[{"name":"user1","displayName":"User 1","id":"sip:user1@example.com"},{"name":"user2","displayName":"User 2","id":"sip:user2@example.com"}]""");
        }));
    }

    [Fact]
    public async Task UpdateRoom_SampleRequest_AnswersAsInferredAndMembersGetTheSettingsEvent()
    {
        var (user1, user2, _) = await SignInAsync();
        await using var _1 = user1; await using var _2 = user2;
        var roomId = await user1.CreateRoomAsync(new { name = "Retirement celebration", members = new[] { "user2@example.com" }, skipInvitations = true });

        // The sample's quirk "newName":Surprise retirement" (a missing quote) is repaired; the server needs valid JSON there.
        await user1.SendRawAsync(Sample("pc.UpdateRoom", 0).WithRoom(roomId).Replace(":Surprise", ":\"Surprise", StringComparison.Ordinal));

        FrameAssert.Matches(await user1.NextAsync(), Expected("pc.UpdateRoom", 1, roomId));
        FrameAssert.Matches(await user1.WaitForAsync(f => f.Id == "c5", "UpdateRoom completion"), Expected("pc.UpdateRoom", 2, roomId));
        FrameAssert.Matches(await user2.EventAsync("pc.RoomSettingsChanged"),
            RoomWire.EventTemplate(Sample("pc.RoomSettingsChanged", 0).WithRoom(roomId), d => d["newRoomName"] = "Surprise retirement"));

        await user1.PcAsync("pc.UpdateRoom", new { roomId, newName = "SR1 Project Discussion" });
        FrameAssert.Matches(await user2.EventAsync("pc.RoomSettingsChanged"), RoomWire.EventTemplate(Sample("pc.RoomSettingsChanged", 0).WithRoom(roomId)));
    }

    [Fact]
    public async Task DisableRoom_SampleRequest_AnswersWithoutBackgroundThenASequencedComplete()
    {
        var (user1, _, _) = await SignInAsync();
        await using var _1 = user1;
        var roomId = await user1.CreateRoomAsync(new { name = "To disable" });

        await user1.SendRawAsync(Sample("pc.DisableRoom", 0).WithRoom(roomId));

        FrameAssert.Matches(await user1.NextAsync(), Expected("pc.DisableRoom", 1, roomId));
        FrameAssert.Matches(await user1.NextAsync(), SpecSamples.Template(SpecSamples.Completion("pc.DisableRoom")));
    }

    [Fact]
    public async Task FollowRooms_SampleRequest_AnswersProcessingThenErrorNullComplete()
    {
        var (user1, _, _) = await SignInAsync();
        await using var _1 = user1;
        var request = Sample("pc.FollowRooms", 0);
        foreach (var sampleId in RoomIds().Matches(request).Select(m => m.Value).Distinct().ToList())
            request = request.Replace(sampleId, await user1.CreateRoomAsync(new { name = "Room " + sampleId[^12..] }), StringComparison.Ordinal);

        await user1.SendRawAsync(request);

        FrameAssert.Matches(await user1.NextAsync(), SpecSamples.Template(SpecSamples.Response("pc.FollowRooms")));
        FrameAssert.Matches(await user1.NextAsync(), SpecSamples.Template(Sample("pc.FollowRooms", 2)));
    }

    [Fact]
    public async Task GetChatHistory_SampleRequestOnAnEmptyRoom_AnswersNoMessages()
    {
        var (user1, _, _) = await SignInAsync();
        await using var _1 = user1;
        var roomId = await user1.CreateRoomAsync(new { name = "Quiet" });

        await user1.SendRawAsync(Sample("pc.GetChatHistory", 0).WithRoom(roomId));

        FrameAssert.Matches(await user1.NextAsync(), Expected("pc.GetChatHistory", 1, roomId));
        FrameAssert.Matches(await user1.NextAsync(), Expected("pc.GetChatHistory", 2, roomId));
    }

    [Fact]
    public async Task GetMyRooms_SampleRequestFollowingNothing_AnswersNoRoomsAndALastInvitationId()
    {
        var (user1, _, _) = await SignInAsync();
        await using var _1 = user1;

        await user1.SendRawAsync(Sample("pc.GetMyRooms", 0));

        FrameAssert.Matches(await user1.NextAsync(), SpecSamples.Template(Sample("pc.GetMyRooms", 1)));
        var completion = await user1.NextAsync();
        FrameAssert.Matches(completion, Expected("pc.GetMyRooms", 2, "x", d => d["lastInvitationId"] = "<number>"));
        completion.Data!["lastInvitationId"]!.GetValue<long>().Should().Be(0, "user1 was never invited");
    }

    [Theory]
    [InlineData("roomId")]
    [InlineData("roomID")]
    public async Task GetRoomParticipants_SampleRequest_AnswersTheDocumentedParticipantsWithoutState(string key)
    {
        var (user1, user2, _) = await SignInAsync();
        await using var _1 = user1; await using var _2 = user2;
        var roomId = await user1.CreateRoomAsync(new { name = "Participants", follow = true });
        await user2.PcAsync("pc.JoinRoom", new { roomId });

        await user1.SendRawAsync(Sample("pc.GetRoomParticipants", 0).WithRoom(roomId).Replace("\"roomId\"", $"\"{key}\"", StringComparison.Ordinal));

        FrameAssert.Matches(await user1.WaitForAsync(f => f.Id == "c5", "response"), Expected("pc.GetRoomParticipants", 1, roomId));
        FrameAssert.Matches(await user1.WaitForAsync(f => f.Id == "c5", "completion"), Expected("pc.GetRoomParticipants", 2, roomId));
    }

    [Fact]
    public async Task JoinRoomAndLeaveRoom_SampleRequests_AnswerAsDocumentedAndOthersGetParticipantChanged()
    {
        var (user1, user2, user3) = await SignInAsync();
        await using var _1 = user1; await using var _2 = user2; await using var _3 = user3;
        var roomId = await user1.CreateRoomAsync(new { name = "Joinable", follow = true });

        await user3.SendRawAsync(Sample("pc.JoinRoom", 0).WithRoom(roomId));
        FrameAssert.Matches(await user3.NextAsync(), Expected("pc.JoinRoom", 1, roomId));
        FrameAssert.Matches(await user3.NextAsync(), Expected("pc.JoinRoom", 2, roomId));
        FrameAssert.Matches(await user1.EventAsync("pc.ParticipantChanged"),
            RoomWire.EventTemplate(Sample("pc.ParticipantChanged", 0).WithRoom(roomId), d => d["isActive"] = true));

        await user3.SendRawAsync(Sample("pc.LeaveRoom", 0).WithRoom(roomId));
        FrameAssert.Matches(await user3.NextAsync(), Expected("pc.LeaveRoom", 1, roomId));
        FrameAssert.Matches(await user3.NextAsync(), Expected("pc.LeaveRoom", 2, roomId));
        FrameAssert.Matches(await user1.EventAsync("pc.ParticipantChanged"), RoomWire.EventTemplate(Sample("pc.ParticipantChanged", 0).WithRoom(roomId)));
        await user2.ExpectNothingPendingAsync();
    }

    [Fact]
    public async Task SearchRooms_SampleRequestWithNoMatch_AnswersAnEmptyCapitalRooms()
    {
        var (user1, _, _) = await SignInAsync();
        await using var _1 = user1;
        await user1.CreateRoomAsync(new { name = "Unrelated" });

        await user1.SendRawAsync(Sample("pc.SearchRooms", 0));

        FrameAssert.Matches(await user1.NextAsync(), SpecSamples.Template(Sample("pc.SearchRooms", 1)));
        FrameAssert.Matches(await user1.NextAsync(), SpecSamples.Template(Sample("pc.SearchRooms", 2)));
    }

    [Fact]
    public async Task SendMessage_SampleRequest_AnswersCompleteThenTheAuthorsEchoThenOthersGetTheMessage()
    {
        var (user1, user2, _) = await SignInAsync();
        await using var _1 = user1; await using var _2 = user2;
        var roomId = await user1.CreateRoomAsync(new { name = "Room@15May2019", follow = true });
        await user2.PcAsync("pc.JoinRoom", new { roomId });
        await user1.EventAsync("pc.ParticipantChanged");

        await user1.SendRawAsync(Sample("pc.SendMessage", 0).WithRoom(roomId));

        FrameAssert.Matches(await user1.NextAsync(), Expected("pc.SendMessage", 1, roomId));
        var completion = await user1.NextAsync();
        FrameAssert.Matches(completion, SpecSamples.Template(Sample("pc.SendMessage", 2)));
        var echo = await user1.NextAsync();
        // The author's copy as the sample shows it (no "error":null, its own member order); the fields the sample's text
        // cuts off after authorId follow it, before method.
        var expectedEcho = JsonNode.Parse(SpecSamples.Template(Sample("pc.SendMessage", 3)))!;
        var data = expectedEcho["result"]!["data"]!.AsObject();
        data["messageId"] = "<number>";
        data.Remove("method");
        data["roomId"] = roomId;
        data[Protocol.Data.RoomMessageData.AuthorDisplayNameKey] = "User 1";
        data["timeStamp"] = "<number>";
        data["method"] = "pc.MessageReceived";
        FrameAssert.Matches(echo, expectedEcho.ToJsonString());
        echo.Sequence.Should().Be(completion.Sequence + 1, "the echo follows the completion as in the sample");

        await user2.PcAsync("pc.SendMessage", new { roomId, message = "Release build ready", messageId = "m2" });
        FrameAssert.Matches(await user1.EventAsync("pc.MessageReceived"), RoomWire.EventTemplate(Sample("pc.MessageReceived", 0).WithRoom(roomId), d =>
        {
            d["roomName"] = "Room@15May2019";
            d["authorId"] = "sip:user2@example.com";
            d[Protocol.Data.RoomMessageData.AuthorDisplayNameKey] = "User 2";
            d["messageId"] = "<number>";
            d["timeStamp"] = "<number>";
        }));
    }

    [GeneratedRegex("ma-chan://[A-Za-z0-9.-]+/[0-9a-f-]{36}")]
    private static partial Regex RoomIds();
}
