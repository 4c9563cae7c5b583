using BemsServer.Dispatch;
using BemsServer.Features.Directory;
using BemsServer.Features.Rooms;
using BemsServer.Features.Sessions;
using BemsServer.Protocol;
using BemsServer.Protocol.Admin;
using Microsoft.Extensions.Time.Testing;

namespace BemsServer.Tests.Rooms;

/// <summary>RoomService's rules without a host: who may create, see, rename, update and disable a room.</summary>
public sealed class RoomServiceRuleTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero));
    private readonly UserDirectory _directory = new([
        new DirectoryUser("ann@example.com", "Ann", Behavior.None), new DirectoryUser("ben@example.com", "Ben", Behavior.None),
        new DirectoryUser("cat@example.com", "Cat", Behavior.None)]);
    private readonly RoomService _rooms;

    public RoomServiceRuleTests() =>
        _rooms = new RoomService(new SessionRegistry(), _directory, _clock, new RoomSettings("gems.example.com", "general",
            new Dictionary<string, RoomCategory> { ["board"] = new("board", new HashSet<string> { "ann@example.com" }, SendsInvitations: false) }));

    private DirectoryUser Ann => _directory.Find("ann@example.com")!;
    private DirectoryUser Ben => _directory.Find("ben@example.com")!;
    private DirectoryUser Cat => _directory.Find("cat@example.com")!;

    private Room Create(DirectoryUser by, string name, RoomPrivacy privacy = RoomPrivacy.Open, string? category = null, string[]? members = null) =>
        _rooms.Create("pc.CreateRoom", _rooms.NewRoomId(), by, new NewRoom(name, "about " + name, category, privacy, [], members ?? [], false, false), new Effects());

    private static int CodeOf(Action act) => act.Should().Throw<BemsRpcException>().Which.ErrorCode;

    [Fact]
    public void Create_WithoutCategory_UsesTheDefault_AndTheCreatorManagesIt()
    {
        var room = Create(Ann, "Plans", members: ["ben@example.com"]);

        room.Category.Id.Should().Be("general");
        room.Managers.Should().Equal("ann@example.com");
        room.Members.Should().BeEquivalentTo(["ann@example.com", "ben@example.com"]);
        _rooms.Get("pc.GetRoom", Ben, room.Id).Name.Should().Be("Plans");
    }

    [Fact]
    public void Create_InARestrictedCategory_OnlyItsCreatorsMay()
    {
        CodeOf(() => Create(Ben, "Minutes", category: "board")).Should().Be(ErrorCodes.CategoryRefused);
        CodeOf(() => Create(Ann, "Minutes", category: "nope")).Should().Be(ErrorCodes.CategoryRefused);

        Create(Ann, "Minutes", category: "board").Category.Id.Should().Be("board");
    }

    [Fact]
    public void SecretRoomName_DoesNotBlockANonMember_ButBlocksAMember()
    {
        Create(Ann, "Hush", RoomPrivacy.Secret, members: ["ben@example.com"]);

        Create(Cat, "HUSH").Name.Should().Be("HUSH");
        CodeOf(() => Create(Ben, "hush")).Should().Be(ErrorCodes.DuplicateRoomName);
        _rooms.Count.Should().Be(2);
    }

    [Fact]
    public void SecretRoom_IsUnknownToANonMember_ClosedRoomKnownButNotAdmitting()
    {
        var secret = Create(Ann, "Hush", RoomPrivacy.Secret);
        var closed = Create(Ann, "Board", RoomPrivacy.Closed);

        CodeOf(() => _rooms.Get("pc.GetRoom", Ben, secret.Id)).Should().Be(ErrorCodes.UnknownRoom);
        _rooms.Get("pc.GetRoom", Ben, closed.Id).Name.Should().Be("Board");
        CodeOf(() => _rooms.Join("pc.JoinRoom", Ben, closed.Id, new Effects())).Should().Be(ErrorCodes.RoomAccessDenied);
        CodeOf(() => _rooms.Get("pc.GetRoom", Ben, "ma-chan://gems.example.com/none")).Should().Be(ErrorCodes.UnknownRoom);
    }

    [Fact]
    public void Update_ByAManager_RenamesAndRedescribes_ByAnyoneElseIsRefused()
    {
        var room = Create(Ann, "Plans", members: ["ben@example.com"]);
        Create(Ann, "Taken");

        CodeOf(() => _rooms.Update("pc.UpdateRoom", Ben, room.Id, new RoomChanges("New", null, null, null, null), new Effects()))
            .Should().Be(ErrorCodes.NotRoomManager);
        CodeOf(() => _rooms.Update("pc.UpdateRoom", Ann, room.Id, new RoomChanges("taken", null, null, null, null), new Effects()))
            .Should().Be(ErrorCodes.DuplicateRoomName);
        _rooms.Update("pc.UpdateRoom", Ann, room.Id, new RoomChanges("PLANS", "new words", RoomPrivacy.Closed, "board", true), new Effects());

        room.Name.Should().Be("PLANS", "a room may take its own name in another case");
        room.Description.Should().Be("new words");
        room.Privacy.Should().Be(RoomPrivacy.Closed);
        room.Category.Id.Should().Be("board");
        room.SkipInvitations.Should().BeTrue();
    }

    [Fact]
    public void Update_ToClosed_SendsAwayParticipantsWhoAreNotMembers()
    {
        var room = Create(Ann, "Open house");
        _rooms.Join("pc.JoinRoom", Cat, room.Id, new Effects());
        room.Participants.Should().Contain("cat@example.com");

        _rooms.Update("pc.UpdateRoom", Ann, room.Id, new RoomChanges(null, null, RoomPrivacy.Closed, null, null), new Effects());

        room.Participants.Should().NotContain("cat@example.com");
    }

    [Fact]
    public void Disable_ByAManager_DisablesOnce_ThenUpdatesAreRefused()
    {
        var room = Create(Ann, "Old");

        CodeOf(() => _rooms.Disable("pc.DisableRoom", Ben, room.Id, new Effects())).Should().Be(ErrorCodes.NotRoomManager);
        _rooms.Disable("pc.DisableRoom", Ann, room.Id, new Effects());
        _rooms.Disable("pc.DisableRoom", Ann, room.Id, new Effects());

        room.IsDisabled.Should().BeTrue();
        CodeOf(() => _rooms.Update("pc.UpdateRoom", Ann, room.Id, new RoomChanges("Older", null, null, null, null), new Effects()))
            .Should().Be(ErrorCodes.RoomDisabled);
    }
    [Fact]
    public void Create_InvitesEveryMemberButTheCreator_UnlessTheCategorySendsNone()
    {
        var invited = Create(Ann, "Plans", members: ["ben@example.com"]);
        Create(Ann, "Minutes", category: "board", members: ["cat@example.com"]);
        var none = new MyRoomsFilter(false, false, false, false, IsInvitedTo: true);

        var (benRooms, benLast) = _rooms.MyRooms(Ben, none);
        _rooms.MyRooms(Cat, none).Rooms.Should().BeEmpty("the board category sends no invitations");
        _rooms.MyRooms(Ann, none).Rooms.Should().BeEmpty("the creator is not invited to its own room");

        benRooms.Select(static r => r.Id).Should().Equal(invited.Id);
        benLast.Should().Be(1);
        _rooms.MyRooms(Ann, new MyRoomsFilter(IsMemberOf: false, IsManagerOf: true, false, false, false)).Rooms.Should().HaveCount(2);
    }
}
