using BemsServer.Dispatch;

namespace BemsServer.Features.Rooms;

internal sealed partial class RoomService
{
    /// <summary>
    /// Creates a seeded room with its members, followers and history (one minute apart, the last a minute ago). No event
    /// is sent: the tenant is new. Returns the room's id.
    /// </summary>
    public string Seed(PlannedRoom plan)
    {
        lock (_gate)
        {
            var id = plan.Id is { } guid ? $"{IdScheme}{settings.Host}/{guid}" : NewRoomId();
            var category = settings.Categories.GetValueOrDefault(plan.Category) ?? new RoomCategory(plan.Category, null, true);
            var room = new Room(id, plan.Name, plan.Description, category, plan.Privacy, skipInvitations: false);
            room.Managers.UnionWith(plan.Managers);
            room.Members.UnionWith(plan.Members);
            _rooms.Add(id, room);
            var now = time.GetUtcNow();
            for (var i = 0; i < plan.History.Count; i++)
            {
                var (author, text) = plan.History[i];
                var at = now.AddMinutes(i - plan.History.Count).ToUnixTimeMilliseconds();
                room.History.Add(new RoomMessage(++_lastMessageId, directory.GetOrAdd(author), text, false, at));
            }
            var ignored = new Effects();
            foreach (var follower in plan.Followers) Follow(room, directory.GetOrAdd(follower), ignored);
            return id;
        }
    }
}
