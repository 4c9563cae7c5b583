using BemsServer.Features.Directory;
using BemsServer.Protocol.Admin;
using BemsServer.Protocol.Data;

namespace BemsServer.Features.Rooms;

/// <summary>pc.GetMyRooms filters; at least one is true (checked by the handler). Several true: rooms meeting all of them.</summary>
internal sealed record MyRoomsFilter(bool IsMemberOf, bool IsManagerOf, bool IsFollowing, bool HasJoined, bool IsInvitedTo);

/// <summary>pc.SearchRooms criteria.</summary>
internal sealed record RoomSearch(string Term, bool SearchDescription, bool MembersOnly, bool IncludeDisabled, IReadOnlySet<RoomPrivacy>? Privacy);

/// <summary>pc.GetChatHistory criteria (authors as directory keys; dates in epoch ms, both ends included).</summary>
internal sealed record HistoryQuery(int Limit, string? Text, IReadOnlySet<string>? Authors, long? StartDate, long? EndDate, long? AfterMessageId, bool Chronological);

internal sealed partial class RoomService
{
    /// <summary>Largest pc.GetChatHistory answer: the documented batch size.</summary>
    public const int HistoryBatch = 20;

    public RoomInfo Get(string method, DirectoryUser user, string roomId)
    {
        lock (_gate) return InfoOf(Visible(method, user, roomId, "roomId"), user.Key);
    }

    public IReadOnlyList<RoomInfo> Search(DirectoryUser user, RoomSearch search)
    {
        lock (_gate)
        {
            return [.. _rooms.Values
                .Where(r => r.IsVisibleTo(user.Key)
                    && (search.IncludeDisabled || !r.IsDisabled)
                    && (!search.MembersOnly || r.Members.Contains(user.Key))
                    && (search.Privacy is null || search.Privacy.Contains(r.Privacy))
                    && (r.Name.Contains(search.Term, StringComparison.OrdinalIgnoreCase)
                        || (search.SearchDescription && r.Description.Contains(search.Term, StringComparison.OrdinalIgnoreCase))))
                .OrderBy(r => r.Name, StringComparer.OrdinalIgnoreCase)
                .Select(r => InfoOf(r, user.Key))];
        }
    }

    public (IReadOnlyList<RoomInfo> Rooms, long LastInvitationId) MyRooms(DirectoryUser user, MyRoomsFilter filter)
    {
        lock (_gate)
        {
            var state = StateOf(user.Key);
            var rooms = _rooms.Values
                .Where(r => (!filter.IsMemberOf || r.Members.Contains(user.Key))
                    && (!filter.IsManagerOf || r.Managers.Contains(user.Key))
                    && (!filter.IsFollowing || state.Followed.Contains(r))
                    && (!filter.HasJoined || r.Participants.Contains(user.Key))
                    && (!filter.IsInvitedTo || state.Invitations.ContainsKey(r)))
                .OrderBy(r => r.Name, StringComparer.OrdinalIgnoreCase)
                .Select(r => InfoOf(r, user.Key));
            return ([.. rooms], state.LastInvitationId);
        }
    }

    public IReadOnlyList<Principal> Participants(string method, DirectoryUser user, string roomId, string param)
    {
        lock (_gate) return [.. Admitted(method, user, roomId, param).Participants.Order(StringComparer.Ordinal).Select(PrincipalOf)];
    }

    /// <summary>
    /// Messages of the rooms matching the query. With afterMessageId, the first <c>Limit</c> messages after it; otherwise
    /// the newest <c>Limit</c>. Then ordered oldest first (chronological) or newest first.
    /// </summary>
    public IReadOnlyList<RoomHistoryMessage> History(string method, DirectoryUser user, IReadOnlyList<string> roomIds, HistoryQuery query)
    {
        lock (_gate)
        {
            var rooms = roomIds.Distinct(StringComparer.Ordinal).Select(id => Admitted(method, user, id, "roomsId")).ToList();
            var matching = rooms
                .SelectMany(r => r.History.Select(m => (Room: r, Message: m)))
                .Where(x => (query.Text is null || x.Message.Text.Contains(query.Text, StringComparison.OrdinalIgnoreCase))
                    && (query.Authors is null || query.Authors.Contains(x.Message.Author.Key))
                    && (query.AfterMessageId is { } after ? x.Message.Id > after : query.StartDate is not { } start || x.Message.Timestamp >= start)
                    && (query.EndDate is not { } end || x.Message.Timestamp <= end))
                .OrderBy(x => x.Message.Id)
                .ToList();
            var page = query.AfterMessageId is null ? matching.TakeLast(query.Limit) : matching.Take(query.Limit);
            if (!query.Chronological) page = page.Reverse();
            return [.. page.Select(x => new RoomHistoryMessage(x.Room.Id, x.Room.Name, x.Message.Text, x.Message.Author.Uri,
                x.Message.Author.DisplayName, x.Message.Id, x.Message.IsAlert, x.Message.Timestamp, 0))];
        }
    }

    private RoomInfo InfoOf(Room room, string userKey) => new(
        room.Id, room.Name, room.Description, room.Category.Id, room.Privacy.ToString(),
        room.Members.Contains(userKey), room.Managers.Contains(userKey), room.IsDisabled, room.SkipInvitations,
        [.. room.Managers.Order(StringComparer.Ordinal).Select(PrincipalOf)],
        [.. room.Members.Order(StringComparer.Ordinal).Select(PrincipalOf)]);
}
