using BemsServer.Features.Directory;
using BemsServer.Features.Rooms;
using BemsServer.Protocol;
using BemsServer.Protocol.Admin;
using BemsServer.Protocol.Data;

namespace BemsServer.Tests.Rooms;

/// <summary>Joining, following, leaving and posting: the refusals and the events each participant receives.</summary>
public sealed partial class RoomServiceContractTests
{
    private static MyRoomsFilter Invited => new(false, false, false, false, IsInvitedTo: true);
    private static MyRoomsFilter Following => new(false, false, IsFollowing: true, false, false);

    private void Join(DirectoryUser user, Room room) => Run(fx => _rooms.Join("pc.JoinRoom", user, room.Id, fx));

    private void Leave(DirectoryUser user, Room room) => Run(fx => _rooms.Leave("pc.LeaveRoom", user, room.Id, fx));

    private void Follow(DirectoryUser user, Room[] follow, Room[]? unfollow = null, bool replace = false) =>
        Run(fx => _rooms.FollowRooms("pc.FollowRooms", user, [.. follow.Select(static r => r.Id)], [.. (unfollow ?? []).Select(static r => r.Id)], replace, fx));

    private void Post(DirectoryUser author, Room room, string text, bool isAlert = false) =>
        Run(fx => _rooms.Post("pc.SendMessage", author, room.Id, text, "client-" + text, isAlert, fx));

    private string[] Followed(DirectoryUser user) => [.. _rooms.MyRooms(user, Following).Rooms.Select(static r => r.Name)];

    private static ParticipantChangedData Arrived(Room room, DirectoryUser user) => new(room.Id, user.DisplayName, user.Uri, IsActive: true);

    private static ParticipantChangedData Departed(Room room, DirectoryUser user) => new(room.Id, user.DisplayName, user.Uri, IsActive: false);

    [Fact]
    public void Join_TellsTheOtherParticipantsOnly_Once_AndAnswersTheInvitation()
    {
        var room = Create(Ann, "Plans", members: ["ben@example.com"]);
        Join(Ann, room);
        ClearAll();

        Join(Ben, room);
        Join(Ben, room);

        Take(Ann).Should().Equal(Arrived(room, Ben));
        Take(Ben).Should().BeEmpty();
        Take(Cat).Should().BeEmpty("Cat is neither a participant nor a member");
        room.Participants.Should().BeEquivalentTo(["ann@example.com", "ben@example.com"]);
        _rooms.MyRooms(Ben, Invited).Rooms.Should().BeEmpty("joining answers the invitation");
        Followed(Ben).Should().BeEmpty("joining is not following");
    }

    [Fact]
    public void Join_Refusals_NameTheRoomAndRoomId()
    {
        var closed = Create(Ann, "Board", RoomPrivacy.Closed, members: ["ben@example.com"]);
        var disabled = Create(Ann, "Old");
        Run(fx => _rooms.Disable("pc.DisableRoom", Ann, disabled.Id, fx));

        Refusal(() => Join(Cat, closed)).Should().Be(
            $"{ErrorCodes.RoomAccessDenied} {closed.Id} is Closed: only its members may do this. pc.JoinRoom/roomId");
        Refusal(() => Join(Ann, disabled)).Should().Be($"{ErrorCodes.RoomDisabled} {disabled.Id} is disabled. pc.JoinRoom/roomId");
        Join(Ben, closed);
        closed.Participants.Should().Equal("ben@example.com");
    }

    [Fact]
    public void FollowRooms_Refusals_NameTheListParameter_AndChangeNothing()
    {
        var open = Create(Ann, "Open");
        var closed = Create(Ann, "Board", RoomPrivacy.Closed);
        var disabled = Create(Ann, "Old");
        Run(fx => _rooms.Disable("pc.DisableRoom", Ann, disabled.Id, fx));
        var unknown = new Room("ma-chan://gems.example.com/none", "None", "", new RoomCategory("general", null, true), RoomPrivacy.Open, false);

        Refusal(() => Follow(Ben, [open, closed])).Should().Be(
            $"{ErrorCodes.RoomAccessDenied} {closed.Id} is Closed: only its members may do this. pc.FollowRooms/roomsToFollow");
        Refusal(() => Follow(Ben, [open, disabled])).Should().Be(
            $"{ErrorCodes.RoomDisabled} {disabled.Id} is disabled. pc.FollowRooms/roomsToFollow");
        Refusal(() => Follow(Ben, [open], unfollow: [unknown])).Should().Be(
            $"{ErrorCodes.UnknownRoom} Room {unknown.Id} does not exist. pc.FollowRooms/roomsToUnfollow");

        open.Participants.Should().BeEmpty();
        Followed(Ben).Should().BeEmpty();
    }

    [Fact]
    public void FollowRooms_FollowsAndJoins_UnfollowingLeaves_AndARoomNotFollowedIsLeftAlone()
    {
        var first = Create(Ann, "First");
        var second = Create(Ann, "Second");
        Join(Ann, first);
        Join(Cat, second);
        ClearAll();

        Follow(Ben, [first, second]);
        Followed(Ben).Should().Equal("First", "Second");
        Take(Ann).Should().Equal(Arrived(first, Ben));
        Take(Cat).Should().Equal(Arrived(second, Ben));

        Follow(Ben, [], unfollow: [first]);
        Follow(Cat, [], unfollow: [second]);

        Followed(Ben).Should().Equal("Second");
        first.Participants.Should().Equal("ann@example.com");
        Take(Ann).Should().Equal(Departed(first, Ben));
        second.Participants.Should().Contain("cat@example.com", "Cat joined without following: unfollowing does not make her leave");
        Take(Ben).Should().BeEmpty();
    }

    [Fact]
    public void FollowRooms_Replacing_UnfollowsWhatIsNotListed_AndKeepsWhatIs()
    {
        var first = Create(Ann, "First");
        var second = Create(Ann, "Second");
        var third = Create(Ann, "Third");
        Join(Ann, first);
        Join(Ann, second);
        Follow(Ben, [first, second]);
        ClearAll();

        Follow(Ben, [second, third], replace: true);

        Followed(Ben).Should().Equal("Second", "Third");
        first.Participants.Should().Equal("ann@example.com");
        Take(Ann).Should().Equal(new BemsData[] { Departed(first, Ben) }, "Ben stays in the second room: nothing to tell");
    }

    [Fact]
    public void FollowRooms_NotReplacing_KeepsEveryRoomFollowedBefore()
    {
        var first = Create(Ann, "First");
        var second = Create(Ann, "Second");
        Follow(Ben, [first]);

        Follow(Ben, [second]);

        Followed(Ben).Should().Equal("First", "Second");
    }

    [Fact]
    public void Leave_AMemberWhoIsNotAManager_StopsBeingAMember_AndIsToldSo()
    {
        var room = Create(Ann, "Plans", members: ["ben@example.com"]);
        Join(Ann, room);
        Follow(Ben, [room]);
        ClearAll();

        Leave(Ben, room);

        room.Members.Should().Equal("ann@example.com");
        room.Participants.Should().Equal("ann@example.com");
        Followed(Ben).Should().BeEmpty();
        Take(Ben).Should().Equal(new RoomSettingsChangedData(room.Id, IsMember: false));
        Take(Ann).Should().Equal(Departed(room, Ben));
    }

    [Fact]
    public void Leave_AManager_StaysAManagerAndAMember()
    {
        var room = Create(Ann, "Plans");
        Join(Ann, room);
        Join(Cat, room);
        ClearAll();

        Leave(Ann, room);

        room.Managers.Should().Equal("ann@example.com");
        room.Members.Should().Equal("ann@example.com");
        room.Participants.Should().Equal("cat@example.com");
        Take(Ann).Should().BeEmpty();
        Take(Cat).Should().Equal(Departed(room, Ann));
    }

    [Fact]
    public void Leave_AnInvitedMemberWhoNeverJoined_DropsTheInvitation_AndTellsNoParticipant()
    {
        var room = Create(Ann, "Plans", members: ["ben@example.com"]);
        Join(Ann, room);
        _rooms.MyRooms(Ben, Invited).Rooms.Should().ContainSingle();
        ClearAll();

        Leave(Ben, room);

        _rooms.MyRooms(Ben, Invited).Rooms.Should().BeEmpty();
        room.Members.Should().Equal("ann@example.com");
        Take(Ben).Should().Equal(new RoomSettingsChangedData(room.Id, IsMember: false));
        Take(Ann).Should().BeEmpty("Ben never participated: nobody saw him leave");
    }

    [Fact]
    public void Leave_AndPost_ToARoomTheUserCannotSee_AreRefusedAsUnknown()
    {
        var secret = Create(Ann, "Hush", RoomPrivacy.Secret);

        Refusal(() => Leave(Ben, secret)).Should().Be($"{ErrorCodes.UnknownRoom} Room {secret.Id} does not exist. pc.LeaveRoom/roomId");
        Refusal(() => Post(Ben, secret, "x")).Should().Be($"{ErrorCodes.UnknownRoom} Room {secret.Id} does not exist. pc.SendMessage/roomId");
    }

    [Fact]
    public void Leave_ByAParticipantOrAFollower_WhoIsNoMember_IsAllowed_ByAnyoneElseRefused()
    {
        var room = Create(Ann, "Open");
        Join(Cat, room);
        Follow(Dan, [room]);
        Run(fx => _rooms.Disable("pc.DisableRoom", Ann, room.Id, fx));
        ClearAll();

        Refusal(() => Leave(Ben, room)).Should().Be(
            $"{ErrorCodes.RoomAccessDenied} You are neither a member nor a follower of {room.Id}. pc.LeaveRoom/roomId");
        Leave(Dan, room);
        Followed(Dan).Should().BeEmpty("Dan followed the room; disabling it emptied it but he still followed it");
        Take(Dan).Should().BeEmpty("a non-member is not told about membership");

        var other = Create(Ann, "Other");
        Join(Cat, other);
        Leave(Cat, other);
        other.Participants.Should().BeEmpty();
    }

    [Fact]
    public void Post_EveryParticipantGetsTheMessage_TheAuthorItsOwnCopyWithItsClientId()
    {
        var room = Create(Ann, "Plans");
        Join(Ann, room);
        Join(Ben, room);
        ClearAll();
        var at = _clock.GetUtcNow().ToUnixTimeMilliseconds();

        Post(Ann, room, "hello", isAlert: true);
        Post(Ben, room, "hi");

        var hello = new RoomMessageData(room.Id, "Plans", "hello", "sip:ann@example.com", "Ann", 1, true, at, 0);
        var hi = new RoomMessageData(room.Id, "Plans", "hi", "sip:ben@example.com", "Ben", 2, false, at, 0);
        var annGot = _inbox[Ann.Key].Frames.Select(static f => ((EventFrame)f).ErrorNull).ToList(); // whether each carried "error":null
        var ann = Take(Ann);
        ann.Should().HaveCount(2);
        ann[0].Should().BeOfType<OwnRoomMessageData>().Which.Should().BeEquivalentTo(new
        {
            hello.RoomId, hello.RoomName, hello.Message, hello.AuthorId, hello.AuthorDisplayName, hello.MessageId, hello.IsAlert,
            hello.TimeStamp, ClientMessageId = "client-hello",
        });
        ann[1].Should().Be(hi);
        annGot.Should().Equal([false, true], "the author's own copy carries no \"error\":null");
        Take(Ben).Should().Equal(hello, new OwnRoomMessageData(hi, "client-hi"));
        Take(Cat).Should().BeEmpty();
        _rooms.History("pc.GetChatHistory", Cat, [room.Id], new HistoryQuery(20, null, null, null, null, null, true))
            .Select(static m => m.Message).Should().Equal("hello", "hi");
    }

    [Fact]
    public void Post_Refusals_ADisabledRoom_OrAnAuthorWhoHasNotJoined()
    {
        var room = Create(Ann, "Plans");
        var disabled = Create(Ann, "Old");
        Join(Ann, disabled);
        Run(fx => _rooms.Disable("pc.DisableRoom", Ann, disabled.Id, fx));

        Refusal(() => Post(Ben, room, "x")).Should().Be(
            $"{ErrorCodes.RoomAccessDenied} Join {room.Id} (pc.JoinRoom or pc.FollowRooms) before posting to it. pc.SendMessage/roomId");
        Refusal(() => Post(Ann, disabled, "x")).Should().Be($"{ErrorCodes.RoomDisabled} {disabled.Id} is disabled. pc.SendMessage/roomId");
        room.History.Should().BeEmpty();
    }

    [Fact]
    public void PostAsSimulated_ReachesParticipants_WithoutAnOwnCopy_AndIsSkippedWhereTheAuthorMayNotPost()
    {
        var room = Create(Ann, "Plans");
        var disabled = Create(Ann, "Old");
        Join(Ann, room);
        Join(Ben, room);
        Join(Ben, disabled);
        Run(fx => _rooms.Disable("pc.DisableRoom", Ann, disabled.Id, fx));
        ClearAll();

        Run(fx => _rooms.PostAsSimulated(room.Id, Cat, "not joined", fx));
        Run(fx => _rooms.PostAsSimulated(disabled.Id, Ben, "disabled", fx));
        Run(fx => _rooms.PostAsSimulated("ma-chan://gems.example.com/none", Ben, "nowhere", fx));
        Run(fx => _rooms.PostAsSimulated(room.Id, Ben, "bot", fx));

        var bot = new RoomMessageData(room.Id, "Plans", "bot", "sip:ben@example.com", "Ben", 1, false, _clock.GetUtcNow().ToUnixTimeMilliseconds(), 0);
        Take(Ann).Should().Equal(bot);
        Take(Ben).Should().Equal(bot);
        room.History.Select(static m => m.Text).Should().Equal("bot");
        disabled.History.Should().BeEmpty();
    }

    [Fact]
    public void Departure_OfAUserNoLongerInTheDirectory_IsToldUnderTheNameTheDirectoryGivesTheAddress()
    {
        var room = Create(Ann, "Open house");
        Join(Ann, room);
        var eve = new DirectoryUser("eve@example.org", "Eve", Behavior.None); // joined, then removed from the directory
        Join(eve, room);
        ClearAll();

        Update(Ann, room, privacy: RoomPrivacy.Closed);

        var departed = Take(Ann).Should().ContainSingle().Which.Should().BeOfType<ParticipantChangedData>().Subject;
        departed.Should().Be(new ParticipantChangedData(room.Id, _directory.Find("eve@example.org")!.DisplayName, "sip:eve@example.org", IsActive: false));
        room.Participants.Should().Equal("ann@example.com");
    }
}
