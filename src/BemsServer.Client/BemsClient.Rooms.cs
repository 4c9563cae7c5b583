using BemsServer.Protocol;
using BemsServer.Protocol.Data;

namespace BemsServer.Client;

/// <summary>pc.GetChatHistory's filters (all optional).</summary>
/// <param name="ResultLimit">At most this many messages (the server caps it at 20).</param>
/// <param name="SearchString">A case-insensitive substring of the message.</param>
/// <param name="Authors">Only these authors' messages.</param>
/// <param name="StartDate">Epoch milliseconds, inclusive.</param>
/// <param name="EndDate">Epoch milliseconds, inclusive.</param>
/// <param name="AfterMessageId">The first messages after this one (paging forward).</param>
/// <param name="Chronological">Oldest first instead of newest first.</param>
public sealed record ChatHistoryQuery(int? ResultLimit = null, string? SearchString = null, IReadOnlyList<string>? Authors = null,
    long? StartDate = null, long? EndDate = null, long? AfterMessageId = null, bool? Chronological = null);

public sealed partial class BemsClient
{
    /// <summary>pc.CreateRoom: returns the new room's id and name.</summary>
    public Task<CreateRoomData> CreateRoomAsync(string name, string? description = null, string? category = null, string? privacy = null,
        IEnumerable<string>? managers = null, IEnumerable<string>? members = null, bool? skipInvitations = null, bool? follow = null,
        CancellationToken cancellationToken = default) =>
        CallAsync(MethodNames.PcCreateRoom, Params(("name", name), ("description", description), ("category", category), ("privacy", privacy),
            ("managers", Array(managers)), ("members", Array(members)), ("skipInvitations", skipInvitations), ("follow", follow)),
            BemsJsonContext.Default.CreateRoomData, cancellationToken);

    /// <summary>pc.UpdateRoom (managers only): at least one change.</summary>
    public Task UpdateRoomAsync(string roomId, string? newName = null, string? newDescription = null, string? newPrivacy = null,
        string? newCategory = null, bool? newSkipInvitations = null, CancellationToken cancellationToken = default) =>
        CallAsync(MethodNames.PcUpdateRoom, Params(("roomId", roomId), ("newName", newName), ("newDescription", newDescription),
            ("newPrivacy", newPrivacy), ("newCategory", newCategory), ("newSkipInvitations", newSkipInvitations)), cancellationToken);

    /// <summary>pc.DisableRoom (managers only).</summary>
    public Task DisableRoomAsync(string roomId, CancellationToken cancellationToken = default) =>
        CallAsync(MethodNames.PcDisableRoom, Params(("roomId", roomId)), cancellationToken);

    /// <summary>pc.GetRoom: the room as the caller sees it.</summary>
    public Task<RoomDetailsData> GetRoomAsync(string roomId, CancellationToken cancellationToken = default) =>
        CallAsync(MethodNames.PcGetRoom, Params(("roomId", roomId)), BemsJsonContext.Default.RoomDetailsData, cancellationToken);

    /// <summary>pc.SearchRooms: rooms whose name (or description) contains the term, by name.</summary>
    public async Task<IReadOnlyList<RoomInfo>> SearchRoomsAsync(string searchTerm, bool? searchDesc = null, bool? isMemberOf = null,
        IEnumerable<string>? privacy = null, bool? disabled = null, CancellationToken cancellationToken = default) =>
        (await CallAsync(MethodNames.PcSearchRooms, Params(("searchTerm", searchTerm), ("searchDesc", searchDesc), ("isMemberOf", isMemberOf),
            ("privacy", Array(privacy)), ("disabled", disabled)), BemsJsonContext.Default.SearchRoomsData, cancellationToken).ConfigureAwait(false)).Rooms;

    /// <summary>pc.GetMyRooms: at least one filter must be true; several keep the rooms meeting all.</summary>
    public Task<MyRoomsData> GetMyRoomsAsync(bool? isMemberOf = null, bool? isManagerOf = null, bool? hasJoined = null, bool? isFollowing = null,
        bool? isInvitedTo = null, CancellationToken cancellationToken = default) =>
        CallAsync(MethodNames.PcGetMyRooms, Params(("isMemberOf", isMemberOf), ("isManagerOf", isManagerOf), ("hasJoined", hasJoined),
            ("isFollowing", isFollowing), ("isInvitedTo", isInvitedTo)), BemsJsonContext.Default.MyRoomsData, cancellationToken);

    /// <summary>pc.GetRoomParticipants: the users who joined or follow the room.</summary>
    public async Task<IReadOnlyList<Principal>> GetRoomParticipantsAsync(string roomId, CancellationToken cancellationToken = default) =>
        (await CallAsync(MethodNames.PcGetRoomParticipants, Params(("roomId", roomId)), BemsJsonContext.Default.RoomParticipantsData, cancellationToken)
            .ConfigureAwait(false)).Participants;

    /// <summary>pc.FollowRooms: <paramref name="replaceList"/> true makes <paramref name="roomsToFollow"/> the whole list.</summary>
    public Task FollowRoomsAsync(IEnumerable<string>? roomsToFollow, IEnumerable<string>? roomsToUnfollow = null, bool replaceList = false,
        CancellationToken cancellationToken = default) =>
        CallAsync(MethodNames.PcFollowRooms, Params(("roomsToFollow", Array(roomsToFollow)), ("roomsToUnfollow", Array(roomsToUnfollow)),
            ("replaceList", replaceList)), cancellationToken);

    /// <summary>pc.JoinRoom.</summary>
    public Task JoinRoomAsync(string roomId, CancellationToken cancellationToken = default) =>
        CallAsync(MethodNames.PcJoinRoom, Params(("roomId", roomId)), cancellationToken);

    /// <summary>pc.LeaveRoom.</summary>
    public Task LeaveRoomAsync(string roomId, CancellationToken cancellationToken = default) =>
        CallAsync(MethodNames.PcLeaveRoom, Params(("roomId", roomId)), cancellationToken);

    /// <summary>pc.SendMessage (after joining): returns the COMPLETE's <c>messageId</c> (the client's).</summary>
    public async Task<string> SendRoomMessageAsync(string roomId, string message, string? messageId = null, bool? isAlert = null,
        CancellationToken cancellationToken = default)
    {
        messageId ??= "r" + Interlocked.Increment(ref _nextMessageId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return (await CallAsync(MethodNames.PcSendMessage, Params(("roomId", roomId), ("message", message), ("messageId", messageId), ("isAlert", isAlert)),
            BemsJsonContext.Default.RoomSendMessageData, cancellationToken).ConfigureAwait(false)).MessageId;
    }

    /// <summary>pc.GetChatHistory of one or more rooms.</summary>
    public async Task<IReadOnlyList<RoomHistoryMessage>> GetChatHistoryAsync(IEnumerable<string> roomIds, ChatHistoryQuery? query = null,
        CancellationToken cancellationToken = default)
    {
        query ??= new ChatHistoryQuery();
        return (await CallAsync(MethodNames.PcGetChatHistory, Params(("roomsId", Array(roomIds)), ("resultLimit", query.ResultLimit),
            ("searchString", query.SearchString), ("authors", Array(query.Authors)), ("startDate", query.StartDate), ("endDate", query.EndDate),
            ("afterMessageId", query.AfterMessageId), ("chronological", query.Chronological)), BemsJsonContext.Default.ChatHistoryData,
            cancellationToken).ConfigureAwait(false)).Messages;
    }
}
