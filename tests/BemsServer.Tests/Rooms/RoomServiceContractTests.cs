using BemsServer.Dispatch;
using BemsServer.Features.Directory;
using BemsServer.Features.Rooms;
using BemsServer.Features.Sessions;
using BemsServer.Protocol;
using BemsServer.Protocol.Admin;
using BemsServer.Protocol.Data;
using Microsoft.Extensions.Time.Testing;

namespace BemsServer.Tests.Rooms;

/// <summary>
/// What a client sees of RoomService: the error a refusal carries (code, message, method and parameter name) and the
/// events each signed-in user receives, field by field. Ann, Ben, Cat and Dan each have one session recording its frames.
/// </summary>
public sealed partial class RoomServiceContractTests
{
    private const string Host = "gems.example.com";
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero));
    private readonly UserDirectory _directory = new([
        new DirectoryUser("ann@example.com", "Ann", Behavior.None), new DirectoryUser("ben@example.com", "Ben", Behavior.None),
        new DirectoryUser("cat@example.com", "Cat", Behavior.None), new DirectoryUser("dan@example.com", "Dan", Behavior.None)]);
    private readonly SessionRegistry _sessions;
    private readonly RoomService _rooms;
    private readonly Dictionary<string, RecordingTarget> _inbox = new(StringComparer.Ordinal);

    public RoomServiceContractTests()
    {
        _sessions = new SessionRegistry(_clock);
        _rooms = NewService(defaultCategory: "general");
        foreach (var key in new[] { "ann@example.com", "ben@example.com", "cat@example.com", "dan@example.com" })
        {
            var recorder = new RecordingTarget();
            _inbox[key] = recorder;
            _sessions.Register(new Session("s-" + key, _directory.Find(key)!, "device-" + key, "2.3", recorder, _clock.GetUtcNow()));
        }
    }

    private RoomService NewService(string defaultCategory) =>
        new(_sessions, _directory, _clock, new RoomSettings(Host, defaultCategory, new Dictionary<string, RoomCategory>
        {
            ["board"] = new("board", new HashSet<string> { "ann@example.com" }, SendsInvitations: false),
            ["news"] = new("news", Creators: null, SendsInvitations: true),
        }));

    private DirectoryUser Ann => _directory.Find("ann@example.com")!;
    private DirectoryUser Ben => _directory.Find("ben@example.com")!;
    private DirectoryUser Cat => _directory.Find("cat@example.com")!;
    private DirectoryUser Dan => _directory.Find("dan@example.com")!;

    /// <summary>The events a user received since the last call, their recorder emptied.</summary>
    private List<BemsData> Take(DirectoryUser user)
    {
        return [.. _inbox[user.Key].Take().Select(static f => ((EventFrame)f).Data)];
    }

    private void ClearAll()
    {
        foreach (var recorder in _inbox.Values) recorder.Frames.Clear();
    }

    /// <summary>Runs a call and releases its effects, as the dispatcher does once the handler returns.</summary>
    private static void Run(Action<Effects> call)
    {
        var fx = new Effects();
        call(fx);
        fx.Release();
    }

    private Room Create(DirectoryUser by, string name, RoomPrivacy privacy = RoomPrivacy.Open, string? category = null,
        string[]? members = null, string[]? managers = null, bool skipInvitations = false, bool follow = false)
    {
        Room room = null!;
        Run(fx => room = _rooms.Create("pc.CreateRoom", _rooms.NewRoomId(), by,
            new NewRoom(name, "about " + name, category, privacy, managers ?? [], members ?? [], skipInvitations, follow), fx));
        return room;
    }

    private void Update(DirectoryUser by, Room room, string? name = null, string? description = null, RoomPrivacy? privacy = null,
        string? category = null, bool? skipInvitations = null) =>
        Run(fx => _rooms.Update("pc.UpdateRoom", by, room.Id, new RoomChanges(name, description, privacy, category, skipInvitations), fx));

    /// <summary>The refusal as the client reads it: "code message method/param".</summary>
    private static string Refusal(Action act)
    {
        var error = act.Should().Throw<BemsRpcException>().Which;
        var data = error.ErrorData.Should().BeOfType<ErrorData>().Subject;
        return $"{error.ErrorCode} {error.Message} {data.Method}/{data.Param}";
    }

    [Fact]
    public void NewRoomId_IsUniqueEachTime_AndCountFollowsCreations()
    {
        _rooms.NewRoomId().Should().NotBe(_rooms.NewRoomId()).And.StartWith("ma-chan://gems.example.com/");
        _rooms.Count.Should().Be(0);
        Create(Ann, "One");
        Create(Ann, "Two");
        _rooms.Count.Should().Be(2);
    }

    [Fact]
    public void Create_Refusals_NameTheCategoryOrTheNameParameter()
    {
        Create(Ann, "Taken");

        Refusal(() => Create(Ben, "Minutes", category: "board")).Should().Be(
            $"{ErrorCodes.CategoryRefused} sip:ben@example.com may not create rooms in category 'board'. pc.CreateRoom/category");
        Refusal(() => Create(Ann, "Minutes", category: "nope")).Should().Be(
            $"{ErrorCodes.CategoryRefused} Category 'nope' does not exist. pc.CreateRoom/category");
        Refusal(() => Create(Ben, "TAKEN")).Should().Be(
            $"{ErrorCodes.DuplicateRoomName} A room named 'TAKEN' already exists. pc.CreateRoom/name");
        _rooms.Count.Should().Be(1, "a refused call creates nothing");
    }

    [Fact]
    public void Create_WithoutADefaultCategoryConfigured_AsksForOne_ButAnUndeclaredDefaultIsOpenToAll()
    {
        var bare = NewService(defaultCategory: "");
        Action act = () => bare.Create("pc.CreateRoom", bare.NewRoomId(), Ben, new NewRoom("R", "", null, RoomPrivacy.Open, [], [], false, false), new Effects());
        Refusal(act).Should().Be(
            $"{ErrorCodes.CategoryRefused} No default category is configured (Bems:Rooms:DefaultCategory): name a category. pc.CreateRoom/category");
        Refusal(() => bare.Create("pc.CreateRoom", bare.NewRoomId(), Ben, new NewRoom("R", "", "", RoomPrivacy.Open, [], [], false, false), new Effects()))
            .Should().Contain("No default category is configured");

        var room = Create(Ben, "Anything", members: ["cat@example.com"]);
        room.Category.Should().Be(new RoomCategory("general", Creators: null, SendsInvitations: true));
        Take(Cat).Should().ContainSingle().Which.Should().BeOfType<RoomInvitationData>();
    }

    [Fact]
    public void Create_WithNamedManagers_TheyAloneManage_AndAreMembers()
    {
        var room = Create(Ann, "Run by others", managers: ["ben@example.com", "cat@example.com"], members: ["dan@example.com"]);

        room.Managers.Should().BeEquivalentTo(["ben@example.com", "cat@example.com"]);
        room.Members.Should().BeEquivalentTo(["ben@example.com", "cat@example.com", "dan@example.com"]);
        Refusal(() => Update(Ann, room, name: "Mine")).Should().Be(
            $"{ErrorCodes.NotRoomManager} Only a manager of {room.Id} may do this. pc.UpdateRoom/roomId");
    }

    [Fact]
    public void Create_InvitesEachMemberButTheCreator_WithTheRoomsDetailsAndARisingId()
    {
        var first = Create(Ann, "Plans", members: ["ben@example.com", "cat@example.com"]);
        var second = Create(Ann, "More plans", members: ["ben@example.com"]);

        Take(Ann).Should().BeEmpty();
        Take(Cat).Should().Equal(new RoomInvitationData(first.Id, "Plans", "about Plans", 3, 2));
        Take(Ben).Should().Equal(
            new RoomInvitationData(first.Id, "Plans", "about Plans", 3, 1),
            new RoomInvitationData(second.Id, "More plans", "about More plans", 2, 3));
        _rooms.MyRooms(Ben, new MyRoomsFilter(false, false, false, false, IsInvitedTo: true)).LastInvitationId.Should().Be(3);
        _rooms.MyRooms(Cat, new MyRoomsFilter(false, false, false, false, IsInvitedTo: true)).LastInvitationId.Should().Be(2);
    }

    [Fact]
    public void Create_SkippingInvitations_OrInACategoryThatSendsNone_InvitesNobody()
    {
        Create(Ann, "Quiet", members: ["ben@example.com"], skipInvitations: true);
        Create(Ann, "Minutes", category: "board", members: ["ben@example.com"]);
        Create(Ann, "Headlines", category: "news", members: ["cat@example.com"]);

        Take(Ben).Should().BeEmpty();
        Take(Cat).Should().ContainSingle().Which.Should().BeOfType<RoomInvitationData>().Which.RoomName.Should().Be("Headlines");
        var (pending, lastInvitationId) = _rooms.MyRooms(Ben, new MyRoomsFilter(false, false, false, false, IsInvitedTo: true));
        pending.Should().BeEmpty();
        lastInvitationId.Should().Be(0);
    }

    [Fact]
    public void Create_Following_TheCreatorFollowsAndParticipates_OtherwiseNeither()
    {
        var followed = Create(Ann, "Followed", follow: true);
        var plain = Create(Ann, "Plain");

        followed.Participants.Should().Equal("ann@example.com");
        plain.Participants.Should().BeEmpty();
        _rooms.MyRooms(Ann, new MyRoomsFilter(false, false, IsFollowing: true, false, false)).Rooms.Select(r => r.Id).Should().Equal(followed.Id);
    }

    [Fact]
    public void Update_Refusals_NameTheRoomAndTheParameter()
    {
        var room = Create(Ann, "Plans", RoomPrivacy.Open, members: ["ben@example.com"]);
        var secret = Create(Ann, "Hush", RoomPrivacy.Secret);
        Create(Ann, "Taken");

        Refusal(() => Update(Ben, room, name: "New")).Should().Be(
            $"{ErrorCodes.NotRoomManager} Only a manager of {room.Id} may do this. pc.UpdateRoom/roomId");
        Refusal(() => Update(Cat, secret, name: "Found")).Should().Be(
            $"{ErrorCodes.UnknownRoom} Room {secret.Id} does not exist. pc.UpdateRoom/roomId");
        Refusal(() => Update(Ann, room, name: "taken")).Should().Be(
            $"{ErrorCodes.DuplicateRoomName} A room named 'taken' already exists. pc.UpdateRoom/newName");
        Refusal(() => Update(Ann, room, category: "nope")).Should().Be(
            $"{ErrorCodes.CategoryRefused} Category 'nope' does not exist. pc.UpdateRoom/newCategory");
        Run(fx => _rooms.Disable("pc.DisableRoom", Ann, room.Id, fx));
        Refusal(() => Update(Ann, room, description: "again")).Should().Be(
            $"{ErrorCodes.RoomDisabled} {room.Id} is disabled; only the persistent-chat administrator can enable it. pc.UpdateRoom/roomId");
        room.Name.Should().Be("Plans");
    }

    [Fact]
    public void Update_OneField_TellsMembersAndParticipants_ThatFieldOnly()
    {
        var room = Create(Ann, "Plans", members: ["ben@example.com"]);
        Run(fx => _rooms.Join("pc.JoinRoom", Cat, room.Id, fx));
        ClearAll();

        Update(Ann, room, name: "Schemes");
        Update(Ann, room, category: "news");
        Update(Ann, room, description: "new words");

        var expected = new BemsData[]
        {
            new RoomSettingsChangedData(room.Id, NewRoomName: "Schemes"),
            new RoomSettingsChangedData(room.Id, NewCategoryId: "news"),
            new RoomSettingsChangedData(room.Id, NewDescription: "new words"),
        };
        foreach (var user in new[] { Ann, Ben, Cat }) Take(user).Should().Equal(expected, "{0} is a member or a participant", user.Key);
        Take(Dan).Should().BeEmpty();
        (room.Name, room.Category.Id, room.Description).Should().Be(("Schemes", "news", "new words"));
    }

    [Fact]
    public void Update_EveryFieldAtOnce_OneEventWithAllThree()
    {
        var room = Create(Ann, "Plans");

        Update(Ann, room, name: "Schemes", description: "new words", category: "news");

        Take(Ann).Should().Equal(new RoomSettingsChangedData(room.Id, "Schemes", "news", "new words"));
    }

    [Fact]
    public void Update_ToTheSameValues_OrOnlyPrivacyAndInvitations_TellsNobody()
    {
        var room = Create(Ann, "Plans", category: "news", members: ["ben@example.com"]);
        ClearAll();

        Update(Ann, room, name: "Plans", description: "about Plans", category: "news");
        Update(Ann, room, privacy: RoomPrivacy.Closed, skipInvitations: true);

        Take(Ann).Should().BeEmpty();
        Take(Ben).Should().BeEmpty();
        room.Privacy.Should().Be(RoomPrivacy.Closed);
        room.SkipInvitations.Should().BeTrue();
        Update(Ann, room, skipInvitations: false);
        room.SkipInvitations.Should().BeFalse();
        room.Privacy.Should().Be(RoomPrivacy.Closed, "a change that does not name privacy keeps it");
    }

    [Fact]
    public void Update_ANameInAnotherCase_IsARename_SeenByEveryone()
    {
        var room = Create(Ann, "Plans");

        Update(Ann, room, name: "PLANS");

        Take(Ann).Should().Equal(new RoomSettingsChangedData(room.Id, NewRoomName: "PLANS"));
    }

    [Fact]
    public void Update_ToClosed_SendsAwayNonMemberParticipants_AndTellsThoseWhoStay()
    {
        var room = Create(Ann, "Open house", members: ["ben@example.com"]);
        foreach (var user in new[] { Ann, Ben, Cat, Dan }) Run(fx => _rooms.Join("pc.JoinRoom", user, room.Id, fx));
        ClearAll();

        Update(Ann, room, privacy: RoomPrivacy.Closed);

        room.Participants.Should().BeEquivalentTo(["ann@example.com", "ben@example.com"]);
        var left = new BemsData[] { new ParticipantChangedData(room.Id, "Cat", "sip:cat@example.com", false), new ParticipantChangedData(room.Id, "Dan", "sip:dan@example.com", false) };
        Take(Ann).Should().Equal(left);
        Take(Ben).Should().Equal(left);
        Take(Cat).Should().BeEmpty();
        Take(Dan).Should().ContainSingle().Which.Should().Be(left[0], "Dan was still there when Cat left");
    }

    [Fact]
    public void Update_StillOpen_KeepsEveryParticipant()
    {
        var room = Create(Ann, "Open house");
        Run(fx => _rooms.Join("pc.JoinRoom", Cat, room.Id, fx));
        ClearAll();

        Update(Ann, room, description: "still open");

        room.Participants.Should().Equal("cat@example.com");
        Take(Cat).Should().Equal(new RoomSettingsChangedData(room.Id, NewDescription: "still open"));
    }

    [Fact]
    public void Disable_TellsMembersAndParticipants_EmptiesTheRoom_AndOnlyOnce()
    {
        var room = Create(Ann, "Old", members: ["ben@example.com"]);
        Run(fx => _rooms.Join("pc.JoinRoom", Cat, room.Id, fx));
        ClearAll();

        Refusal(() => Run(fx => _rooms.Disable("pc.DisableRoom", Ben, room.Id, fx))).Should().Be(
            $"{ErrorCodes.NotRoomManager} Only a manager of {room.Id} may do this. pc.DisableRoom/roomId");
        Run(fx => _rooms.Disable("pc.DisableRoom", Ann, room.Id, fx));
        Run(fx => _rooms.Disable("pc.DisableRoom", Ann, room.Id, fx));

        var disabled = new RoomSettingsChangedData(room.Id, IsDisabled: true);
        foreach (var user in new[] { Ann, Ben, Cat }) Take(user).Should().Equal(disabled);
        room.Participants.Should().BeEmpty();
    }

    [Fact]
    public void Refusals_ForRoomsTheUserMayNotSeeOrEnter_NameTheParameterGiven()
    {
        var secret = Create(Ann, "Hush", RoomPrivacy.Secret);
        var closed = Create(Ann, "Board", RoomPrivacy.Closed);

        Refusal(() => _rooms.Get("pc.GetRoom", Ben, secret.Id)).Should().Be(
            $"{ErrorCodes.UnknownRoom} Room {secret.Id} does not exist. pc.GetRoom/roomId");
        Refusal(() => _rooms.Get("pc.GetRoom", Ben, "no-such-room")).Should().Be(
            $"{ErrorCodes.UnknownRoom} Room no-such-room does not exist. pc.GetRoom/roomId");
        Refusal(() => _rooms.Participants("pc.GetRoomParticipants", Ben, closed.Id, "roomId")).Should().Be(
            $"{ErrorCodes.RoomAccessDenied} {closed.Id} is Closed: only its members may do this. pc.GetRoomParticipants/roomId");
        Refusal(() => _rooms.History("pc.GetChatHistory", Ben, [closed.Id], new HistoryQuery(20, null, null, null, null, null, true))).Should().Be(
            $"{ErrorCodes.RoomAccessDenied} {closed.Id} is Closed: only its members may do this. pc.GetChatHistory/roomsId");
    }

    [Fact]
    public void Principals_CarryTheAddressLocalPart_TheDisplayName_AndTheUri_EvenForAnAddressNotInTheDirectory()
    {
        var room = Create(Ann, "Plans", members: ["eve@example.org"]);

        var info = _rooms.Get("pc.GetRoom", Ann, room.Id);

        info.Managers.Should().Equal(new Principal("ann", "Ann", "sip:ann@example.com"));
        info.Members.Should().HaveCount(2);
        info.Members[0].Should().Be(new Principal("ann", "Ann", "sip:ann@example.com"));
        info.Members[1].Name.Should().Be("eve");
        info.Members[1].Id.Should().Be("sip:eve@example.org");
        info.Members[1].DisplayName.Should().Be(_directory.Find("eve@example.org")!.DisplayName);
    }
}
