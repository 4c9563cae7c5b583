using BemsServer.Dispatch;
using BemsServer.Features.Directory;
using BemsServer.Features.Rooms;

namespace BemsServer.Simulation;

/// <summary>
/// Simulated users posting to a seeded room on a schedule of the injected clock: every period, the next author posts the
/// next message (both taken in turn). Its frames are released at once (no request caused them).
/// </summary>
internal sealed class RoomPoster : IDisposable
{
    private readonly RoomService _rooms;
    private readonly string _roomId;
    private readonly IReadOnlyList<DirectoryUser> _authors;
    private readonly IReadOnlyList<string> _messages;
    private readonly ITimer _timer;
    private long _posted;

    public RoomPoster(RoomService rooms, string roomId, IReadOnlyList<DirectoryUser> authors, SeedPosts posts, TimeProvider time)
    {
        _rooms = rooms;
        _roomId = roomId;
        _authors = authors;
        _messages = posts.Messages;
        _timer = time.CreateTimer(static state => ((RoomPoster)state!).Post(), this, posts.Every, posts.Every);
    }

    /// <summary>Creates every seeded room of the plan and a poster for each that has posts.</summary>
    public static IReadOnlyList<RoomPoster> Seed(RoomService rooms, RoomSeedPlan plan, UserDirectory directory, TimeProvider time) =>
    [
        .. plan.Rooms.Select(room => (Room: room, Id: rooms.Seed(room)))
            .Where(seeded => seeded.Room.Posts is not null)
            .Select(seeded => new RoomPoster(rooms, seeded.Id,
                [.. seeded.Room.Posts!.Authors.Select(a => directory.FindByAddress(a)!)], seeded.Room.Posts, time)),
    ];

    private void Post()
    {
        var n = Interlocked.Increment(ref _posted) - 1;
        var fx = new Effects();
        _rooms.PostAsSimulated(_roomId, _authors[(int)(n % _authors.Count)], _messages[(int)(n % _messages.Count)], fx);
        fx.Release();
    }

    public void Dispose() => _timer.Dispose();
}
