using BemsServer.Dispatch;
using BemsServer.Features.Directory;
using BemsServer.Features.Rooms;
using BemsServer.Features.Sessions;
using BemsServer.Protocol;
using BemsServer.Protocol.Admin;
using Microsoft.Extensions.Time.Testing;

namespace BemsServer.Tests.Rooms;

public sealed class RoomServiceTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 26, 9, 0, 0, TimeSpan.Zero));
    private readonly UserDirectory _directory = new([new DirectoryUser("ann@example.com", "Ann", Behavior.None), new DirectoryUser("ben@example.com", "Ben", Behavior.None)]);
    private readonly RoomService _rooms;

    public RoomServiceTests() =>
        _rooms = new RoomService(new SessionRegistry(), _directory, _clock,
            new RoomSettings("gems.example.com", "general", new Dictionary<string, RoomCategory>()));

    private DirectoryUser Ann => _directory.Find("ann@example.com")!;

    private string Create(string name, bool follow = true)
    {
        var id = _rooms.NewRoomId();
        _rooms.Create("pc.CreateRoom", id, Ann, new NewRoom(name, "", null, RoomPrivacy.Open, [], [], false, follow), new Effects());
        return id;
    }

    [Fact]
    public void NewRoomId_UsesTheConfiguredHost() =>
        _rooms.NewRoomId().Should().MatchRegex("^ma-chan://gems\\.example\\.com/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$");

    [Fact]
    public void Create_NameUsedInAnotherCase_IsRefusedAsDuplicate()
    {
        Create("Team");

        var act = () => Create("TEAM");

        act.Should().Throw<BemsRpcException>().Which.ErrorCode.Should().Be(ErrorCodes.DuplicateRoomName);
        _rooms.Count.Should().Be(1);
    }

    [Fact]
    public void History_AfterMessageIdNewestFirst_TakesTheNextMessagesThenReversesThem()
    {
        var room = Create("Log");
        for (var i = 1; i <= 5; i++) _rooms.Post("pc.SendMessage", Ann, room, $"m{i}", $"c{i}", false, new Effects());

        var page = _rooms.History("pc.GetChatHistory", Ann, [room], new HistoryQuery(2, null, null, null, null, AfterMessageId: 1, Chronological: false));

        page.Select(m => m.Message).Should().Equal("m3", "m2");
    }

    [Fact]
    public void History_AfterMessageId_IgnoresStartDate()
    {
        var room = Create("Dates");
        _rooms.Post("pc.SendMessage", Ann, room, "old", "c1", false, new Effects());
        _clock.Advance(TimeSpan.FromHours(1));
        _rooms.Post("pc.SendMessage", Ann, room, "new", "c2", false, new Effects());
        var future = _clock.GetUtcNow().AddDays(1).ToUnixTimeMilliseconds();

        var page = _rooms.History("pc.GetChatHistory", Ann, [room], new HistoryQuery(20, null, null, future, null, AfterMessageId: 0, Chronological: true));

        page.Select(m => m.Message).Should().Equal("old", "new");
    }
}
