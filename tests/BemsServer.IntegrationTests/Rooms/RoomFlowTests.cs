using System.Text.Json.Nodes;
using BemsServer.IntegrationTests.Infrastructure;

namespace BemsServer.IntegrationTests.Rooms;

/// <summary>Rooms over real sockets with three users (alice manages, bob and carol take part), events checked per session.</summary>
public abstract class RoomFlowContract(BemsHost host)
{
    private sealed record Three(WireClient Alice, WireClient Bob, WireClient Carol, Uri Tenant) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Alice.DisposeAsync();
            await Bob.DisposeAsync();
            await Carol.DisposeAsync();
        }
    }

    private async Task<Three> SignInAsync()
    {
        var tenant = host.NewTenant(out _);
        return new Three(await host.SignInAsync(tenant, "alice@example.com"), await host.SignInAsync(tenant, "bob@example.com"),
            await host.SignInAsync(tenant, "carol@example.com"), tenant);
    }

    private static string[] Ids(JsonArray rooms) => [.. rooms.Select(r => r!["id"]!.GetValue<string>())];

    [Fact]
    public async Task CreateRoom_WithMembers_InvitesEveryMemberButTheCreator()
    {
        await using var u = await SignInAsync();

        var roomId = await u.Alice.CreateRoomAsync(new { name = "Plans", members = new[] { "bob@example.com", "sip:CAROL@example.com" } });

        var invitation = await u.Bob.RoomEventAsync("pc.InvitationReceived", roomId);
        (await u.Carol.RoomEventAsync("pc.InvitationReceived", roomId)).Data!["numberOfParticipants"]!.GetValue<int>().Should().Be(3);
        await u.Alice.ExpectNothingPendingAsync();
        var mine = (await u.Bob.PcAsync("pc.GetMyRooms", new { isInvitedTo = true })).Completion.Data!;
        Ids(mine["rooms"]!.AsArray()).Should().Equal(roomId);
        mine["lastInvitationId"]!.GetValue<long>().Should().Be(invitation.Data!["invitationId"]!.GetValue<long>());

        await u.Bob.PcAsync("pc.FollowRooms", new { roomsToFollow = new[] { roomId }, replaceList = false });
        (await u.Bob.PcAsync("pc.GetMyRooms", new { isInvitedTo = true })).Completion.Data!["rooms"]!.AsArray().Should().BeEmpty("following accepts the invitation");
    }

    [Fact]
    public async Task CreateRoom_SkipInvitations_MembersAreNotInvitedButAreMembers()
    {
        await using var u = await SignInAsync();

        var roomId = await u.Alice.CreateRoomAsync(new { name = "Quiet plans", members = new[] { "bob@example.com" }, skipInvitations = true });

        await u.Bob.ExpectNothingPendingAsync();
        Ids((await u.Bob.PcAsync("pc.GetMyRooms", new { isMemberOf = true })).Completion.Data!["rooms"]!.AsArray()).Should().Contain(roomId);
        (await u.Bob.GetRoomAsync(roomId))["skipInvitations"]!.GetValue<bool>().Should().BeTrue();
    }

    [Fact]
    public async Task SendMessage_InAJoinedRoom_ReachesEveryParticipantSessionAndNobodyElse()
    {
        await using var u = await SignInAsync();
        await using var bobPhone = await host.SignInAsync(u.Tenant, "bob@example.com");
        var roomId = await u.Alice.CreateRoomAsync(new { name = "Open talk", follow = true });
        await u.Bob.PcAsync("pc.FollowRooms", new { roomsToFollow = new[] { roomId }, replaceList = true });
        (await u.Alice.RoomEventAsync("pc.ParticipantChanged", roomId)).Data!["participantId"]!.GetValue<string>().Should().Be("sip:bob@example.com");

        var (_, complete) = await u.Alice.PcAsync("pc.SendMessage", new { roomId, message = "Hello room", messageId = "a1", isAlert = true });

        complete.Data!["messageId"]!.GetValue<string>().Should().Be("a1");
        var own = await u.Alice.RoomEventAsync("pc.MessageReceived", roomId);
        own.Data!["clientMessageId"]!.GetValue<string>().Should().Be("a1");
        foreach (var bob in new[] { u.Bob, bobPhone })
        {
            var received = await bob.RoomEventAsync("pc.MessageReceived", roomId);
            received.Data!["message"]!.GetValue<string>().Should().Be("Hello room");
            received.Data!["isAlert"]!.GetValue<bool>().Should().BeTrue();
            received.Data!.AsObject().ContainsKey("clientMessageId").Should().BeFalse();
            received.Data!["messageId"]!.GetValue<long>().Should().Be(own.Data!["messageId"]!.GetValue<long>());
        }
        await u.Carol.ExpectNothingPendingAsync();
    }

    [Fact]
    public async Task SendMessage_BeforeJoining_IsRefusedAndNothingIsPosted()
    {
        await using var u = await SignInAsync();
        var roomId = await u.Alice.CreateRoomAsync(new { name = "Members talk", follow = true });

        var error = await u.Bob.PcErrorAsync("pc.SendMessage", new { roomId, message = "Me too", messageId = "b1" });

        error["code"]!.GetValue<int>().Should().Be(-32013);
        (await u.Alice.HistoryAsync(new { roomsId = roomId })).Should().BeEmpty();
        await u.Alice.ExpectNothingPendingAsync();
    }

    [Fact]
    public async Task LeaveRoom_Member_OthersSeeTheParticipantGoAndTheLeaverIsNoLongerAMember()
    {
        await using var u = await SignInAsync();
        var roomId = await u.Alice.CreateRoomAsync(new { name = "Leavers", members = new[] { "bob@example.com" }, skipInvitations = true, follow = true });
        await u.Bob.PcAsync("pc.JoinRoom", new { roomId });
        await u.Alice.RoomEventAsync("pc.ParticipantChanged", roomId);

        await u.Bob.PcAsync("pc.LeaveRoom", new { roomId });

        (await u.Alice.RoomEventAsync("pc.ParticipantChanged", roomId)).Data!["isActive"]!.GetValue<bool>().Should().BeFalse();
        (await u.Bob.RoomEventAsync("pc.RoomSettingsChanged", roomId)).Data!["isMember"]!.GetValue<bool>().Should().BeFalse();
        (await u.Bob.GetRoomAsync(roomId))["isMemberOf"]!.GetValue<bool>().Should().BeFalse();
        await u.Alice.PcAsync("pc.SendMessage", new { roomId, message = "Still here?", messageId = "a1" });
        await u.Alice.RoomEventAsync("pc.MessageReceived", roomId);
        await u.Bob.ExpectNothingPendingAsync();
    }

    [Fact]
    public async Task UpdateRoom_ByManager_MembersAndParticipantsGetOnlyTheChangedFields()
    {
        await using var u = await SignInAsync();
        var roomId = await u.Alice.CreateRoomAsync(new { name = "Old name", members = new[] { "bob@example.com" }, skipInvitations = true });
        await u.Carol.PcAsync("pc.JoinRoom", new { roomId });

        await u.Alice.PcAsync("pc.UpdateRoom", new { roomId, newName = "New name", newDescription = "About things" });

        foreach (var who in new[] { u.Alice, u.Bob, u.Carol })
        {
            var changed = await who.RoomEventAsync("pc.RoomSettingsChanged", roomId);
            changed.Data!.AsObject().Select(p => p.Key).Should().BeEquivalentTo("roomId", "newRoomName", "newDescription", "method");
            changed.Data!["newRoomName"]!.GetValue<string>().Should().Be("New name");
        }
        (await u.Bob.GetRoomAsync(roomId))["name"]!.GetValue<string>().Should().Be("New name");
    }

    [Fact]
    public async Task ManagerOnlyOperations_ByAMember_AreRefusedAndChangeNothing()
    {
        await using var u = await SignInAsync();
        var roomId = await u.Alice.CreateRoomAsync(new { name = "Guarded", members = new[] { "bob@example.com" }, skipInvitations = true });
        var before = (await u.Bob.GetRoomAsync(roomId)).ToJsonString();

        (await u.Bob.PcErrorAsync("pc.UpdateRoom", new { roomId, newName = "Mine now" }))["code"]!.GetValue<int>().Should().Be(-32012);
        (await u.Bob.PcErrorAsync("pc.DisableRoom", new { roomId }))["code"]!.GetValue<int>().Should().Be(-32012);

        (await u.Bob.GetRoomAsync(roomId)).ToJsonString().Should().Be(before);
        await u.Alice.ExpectNothingPendingAsync();
    }

    [Fact]
    public async Task DisableRoom_ByManager_ParticipantsAreToldAndTheRoomTakesNoMoreTraffic()
    {
        await using var u = await SignInAsync();
        var roomId = await u.Alice.CreateRoomAsync(new { name = "Closing down", follow = true });
        await u.Bob.PcAsync("pc.JoinRoom", new { roomId });
        await u.Alice.PcAsync("pc.SendMessage", new { roomId, message = "Last words", messageId = "a1" });
        await u.Bob.RoomEventAsync("pc.MessageReceived", roomId);

        await u.Alice.PcAsync("pc.DisableRoom", new { roomId });

        foreach (var who in new[] { u.Alice, u.Bob })
            (await who.RoomEventAsync("pc.RoomSettingsChanged", roomId)).Data!["isDisabled"]!.GetValue<bool>().Should().BeTrue();
        (await u.Bob.PcErrorAsync("pc.SendMessage", new { roomId, message = "Hello?", messageId = "b1" }))["code"]!.GetValue<int>().Should().Be(-32014);
        (await u.Carol.PcErrorAsync("pc.JoinRoom", new { roomId }))["code"]!.GetValue<int>().Should().Be(-32014);
        (await u.Carol.GetRoomAsync(roomId))["isDisabled"]!.GetValue<bool>().Should().BeTrue();
        (await u.Bob.HistoryAsync(new { roomsId = roomId })).Should().ContainSingle("history stays readable");
        (await u.Bob.PcAsync("pc.SearchRooms", new { searchTerm = "Closing" })).Completion.Data!["Rooms"]!.AsArray().Should().BeEmpty();
        (await u.Bob.PcAsync("pc.SearchRooms", new { searchTerm = "Closing", disabled = true })).Completion.Data!["Rooms"]!.AsArray().Should().ContainSingle();
        await u.Alice.PcAsync("pc.DisableRoom", new { roomId });
        await u.Bob.ExpectNothingPendingAsync();
    }

    [Fact]
    public async Task SecretRoom_NonMember_NeverSeesItOrItsTraffic()
    {
        await using var u = await SignInAsync();
        var roomId = await u.Carol.CreateRoomAsync(new { name = "Hush", description = "secret stuff", privacy = "Secret", members = new[] { "bob@example.com" }, follow = true });
        await u.Bob.PcAsync("pc.FollowRooms", new { roomsToFollow = new[] { roomId }, replaceList = false });

        await u.Carol.PcAsync("pc.SendMessage", new { roomId, message = "Between us", messageId = "c1" });
        await u.Bob.RoomEventAsync("pc.MessageReceived", roomId);
        await u.Carol.PcAsync("pc.UpdateRoom", new { roomId, newDescription = "still secret" });
        await u.Bob.RoomEventAsync("pc.RoomSettingsChanged", roomId);

        (await u.Alice.PcAsync("pc.SearchRooms", new { searchTerm = "Hush" })).Completion.Data!["Rooms"]!.AsArray().Should().BeEmpty();
        foreach (var method in new[] { "pc.GetRoom", "pc.JoinRoom", "pc.GetRoomParticipants", "pc.LeaveRoom" })
            (await u.Alice.PcErrorAsync(method, new { roomId }))["code"]!.GetValue<int>().Should().Be(-32010, method);
        (await u.Alice.PcErrorAsync("pc.GetChatHistory", new { roomsId = roomId }))["code"]!.GetValue<int>().Should().Be(-32010);
        (await u.Alice.PcErrorAsync("pc.FollowRooms", new { roomsToFollow = new[] { roomId }, replaceList = false }))["code"]!.GetValue<int>().Should().Be(-32010);
        (await u.Bob.PcAsync("pc.SearchRooms", new { searchTerm = "Hush" })).Completion.Data!["Rooms"]!.AsArray().Should().ContainSingle();
        await u.Alice.ExpectNothingPendingAsync();
    }

    [Fact]
    public async Task ClosedRoom_NonMember_FindsItButCannotJoinOrRead()
    {
        await using var u = await SignInAsync();
        var roomId = await u.Alice.CreateRoomAsync(new { name = "Board", privacy = "closed", members = new[] { "bob@example.com" }, skipInvitations = true });

        (await u.Carol.PcAsync("pc.SearchRooms", new { searchTerm = "board" })).Completion.Data!["Rooms"]!.AsArray().Should().ContainSingle();
        (await u.Carol.PcErrorAsync("pc.JoinRoom", new { roomId }))["code"]!.GetValue<int>().Should().Be(-32013);
        (await u.Carol.PcErrorAsync("pc.GetChatHistory", new { roomsId = roomId }))["code"]!.GetValue<int>().Should().Be(-32013);
        await u.Bob.PcAsync("pc.JoinRoom", new { roomId });
    }

    [Fact]
    public async Task GetChatHistory_MoreThanABatch_PagesByTwentyWithAfterMessageId()
    {
        await using var u = await SignInAsync();
        var roomId = await u.Alice.CreateRoomAsync(new { name = "Busy", follow = true });
        for (var i = 1; i <= 25; i++) await u.Alice.PcAsync("pc.SendMessage", new { roomId, message = $"m{i}", messageId = $"a{i}" });

        var newest = await u.Bob.HistoryAsync(new { roomsId = roomId, resultLimit = 100 });
        newest.Select(m => m!["message"]!.GetValue<string>()).Should().Equal(Enumerable.Range(6, 20).Reverse().Select(i => $"m{i}"));

        var first = await u.Bob.HistoryAsync(new { roomsId = roomId, afterMessageId = "0", chronological = true });
        first.Select(m => m!["message"]!.GetValue<string>()).Should().Equal(Enumerable.Range(1, 20).Select(i => $"m{i}"));
        var next = await u.Bob.HistoryAsync(new { roomsId = roomId, afterMessageId = first[^1]!["messageId"]!.GetValue<long>(), chronological = true });
        next.Select(m => m!["message"]!.GetValue<string>()).Should().Equal(Enumerable.Range(21, 5).Select(i => $"m{i}"));
        (await u.Bob.HistoryAsync(new { roomsId = roomId, resultLimit = 3 })).Should().HaveCount(3);
    }

    [Fact]
    public async Task GetChatHistory_Filters_SelectByTextAuthorsAndDates()
    {
        await using var u = await SignInAsync();
        var roomId = await u.Alice.CreateRoomAsync(new { name = "Filters", follow = true });
        await u.Bob.PcAsync("pc.JoinRoom", new { roomId });
        await u.Alice.PcAsync("pc.SendMessage", new { roomId, message = "Release tomorrow", messageId = "a1" });
        var start = host.Clock.GetUtcNow().ToUnixTimeMilliseconds();
        host.Clock.Advance(TimeSpan.FromMinutes(1));
        var middle = host.Clock.GetUtcNow().ToUnixTimeMilliseconds();
        await u.Bob.PcAsync("pc.SendMessage", new { roomId, message = "release notes?", messageId = "b1" });
        host.Clock.Advance(TimeSpan.FromMinutes(1));
        await u.Alice.PcAsync("pc.SendMessage", new { roomId, message = "Lunch", messageId = "a2" });

        static string[] Texts(JsonArray messages) => [.. messages.Select(m => m!["message"]!.GetValue<string>())];
        Texts(await u.Carol.HistoryAsync(new { roomsId = roomId, searchString = "RELEASE" })).Should().Equal("release notes?", "Release tomorrow");
        Texts(await u.Carol.HistoryAsync(new { roomsId = roomId, authors = new[] { "sip:alice@example.com" }, chronological = true })).Should().Equal("Release tomorrow", "Lunch");
        Texts(await u.Carol.HistoryAsync(new { roomsId = roomId, startDate = middle, endDate = middle })).Should().Equal("release notes?");
        Texts(await u.Carol.HistoryAsync(new { roomsId = roomId, startDate = start + 1 })).Should().Equal("Lunch", "release notes?");
        var bobs = await u.Carol.HistoryAsync(new { roomsId = roomId, authors = new[] { "bob@example.com" } });
        FrameAssert.Matches(bobs.Single()!, JsonNode.Parse($$"""
            {"roomId":"{{roomId}}","roomName":"Filters","message":"release notes?","authorId":"sip:bob@example.com","autherDisplayName":"Bob Brown","messageId":"<number>","isAlert":false,"timeStamp":{{middle}},"fileLinkCount":0}
            """)!, "history message");
    }

    [Fact]
    public async Task GetMyRoomsAndParticipants_AfterFollowAndJoin_ListWhatEachUserDid()
    {
        await using var u = await SignInAsync();
        var managed = await u.Alice.CreateRoomAsync(new { name = "Managed", members = new[] { "bob@example.com" }, skipInvitations = true, follow = true });
        var other = await u.Carol.CreateRoomAsync(new { name = "Other" });
        await u.Bob.PcAsync("pc.JoinRoom", new { roomId = managed });
        await u.Bob.PcAsync("pc.FollowRooms", new { roomsToFollow = new[] { other }, replaceList = false });

        Ids((await u.Bob.PcAsync("pc.GetMyRooms", new { hasJoined = true })).Completion.Data!["rooms"]!.AsArray()).Should().BeEquivalentTo([managed, other]);
        Ids((await u.Bob.PcAsync("pc.GetMyRooms", new { isFollowing = true })).Completion.Data!["rooms"]!.AsArray()).Should().Equal(other);
        Ids((await u.Bob.PcAsync("pc.GetMyRooms", new { isMemberOf = true, hasJoined = true })).Completion.Data!["rooms"]!.AsArray()).Should().Equal(managed);
        Ids((await u.Alice.PcAsync("pc.GetMyRooms", new { isManagerOf = true })).Completion.Data!["rooms"]!.AsArray())
            .Should().Contain(managed, "alice also manages the seeded rooms").And.NotContain(other);
        var participants = (await u.Carol.PcAsync("pc.GetRoomParticipants", new { roomID = managed })).Completion.Data!["participants"]!.AsArray();
        participants.Select(p => p!["id"]!.GetValue<string>()).Should().Equal("sip:alice@example.com", "sip:bob@example.com");

        await u.Bob.PcAsync("pc.FollowRooms", new { replaceList = true });
        (await u.Bob.PcAsync("pc.GetMyRooms", new { isFollowing = true })).Completion.Data!["rooms"]!.AsArray().Should().BeEmpty();
        (await u.Carol.PcAsync("pc.GetRoomParticipants", new { roomId = other })).Completion.Data!["participants"]!.AsArray().Should().BeEmpty();
    }

    [Fact]
    public async Task SeededRoom_FollowedByANewcomer_DeliversItsHistoryAndTheSimulatedPosts()
    {
        await using var u = await SignInAsync();
        var welcome = (await u.Bob.PcAsync("pc.SearchRooms", new { searchTerm = "Welcome" })).Completion.Data!["Rooms"]![0]!["id"]!.GetValue<string>();
        welcome.Should().Be("ma-chan://gems.example.com/7b0d2a52-4c0e-4d6c-9a51-2f7f3c5e9b10");
        (await u.Bob.HistoryAsync(new { roomsId = welcome, chronological = true }))[0]!["authorId"]!.GetValue<string>().Should().Be("sip:alice@example.com");

        await u.Bob.PcAsync("pc.FollowRooms", new { roomsToFollow = new[] { welcome }, replaceList = false });
        host.Clock.Advance(TimeSpan.FromSeconds(30));

        var post = await u.Bob.RoomEventAsync("pc.MessageReceived", welcome);
        post.Data!["authorId"]!.GetValue<string>().Should().BeOneOf("sip:echo@example.com", "sip:accept@example.com");
        post.Data!["roomName"]!.GetValue<string>().Should().Be("Welcome");
    }
}

/// <summary>The contract on one node, the in-memory engine.</summary>
public sealed class RoomFlowTests(BemsHost host) : RoomFlowContract(host), IClassFixture<BemsHost>;

/// <summary>The contract on two nodes of the Orleans engine, each client on the other node than the one before.</summary>
public sealed class RoomFlowClusterTests(ClusterHost host) : RoomFlowContract(host), IClassFixture<ClusterHost>;
