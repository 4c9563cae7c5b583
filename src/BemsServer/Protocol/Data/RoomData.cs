using System.Text.Json.Serialization;

namespace BemsServer.Protocol.Data;

/// <summary>A user as the persistent-chat payloads show one: <c>name</c> (the address's local part), display name, sip id.</summary>
public sealed record Principal(string Name, string DisplayName, string Id);

/// <summary>A room as listed by pc.GetMyRooms and pc.SearchRooms: the fields pc.GetRoom documents, seen by the caller.</summary>
public sealed record RoomInfo(
    string Id, string Name, string Description, string Category, string Privacy,
    bool IsMemberOf, bool IsManagerOf, bool IsDisabled, bool SkipInvitations,
    IReadOnlyList<Principal> Managers, IReadOnlyList<Principal> Members);

/// <summary>pc.GetRoom completion: the documented room fields beside method and state.</summary>
public sealed record RoomDetailsData(
    string Id, string Name, string Description, string Category, string Privacy,
    bool IsMemberOf, bool IsManagerOf, bool IsDisabled, bool SkipInvitations,
    IReadOnlyList<Principal> Managers, IReadOnlyList<Principal> Members) : BemsData(MethodNames.PcGetRoom)
{
    public static RoomDetailsData From(RoomInfo r) => new(
        r.Id, r.Name, r.Description, r.Category, r.Privacy, r.IsMemberOf, r.IsManagerOf, r.IsDisabled, r.SkipInvitations, r.Managers, r.Members);
}

/// <summary>pc.CreateRoom completion: the new room's id and name (as the inferred sample shows).</summary>
public sealed record CreateRoomData(string Id, string Name) : BemsData(MethodNames.PcCreateRoom);

/// <summary>pc.GetMyRooms completion: the rooms and the id of the user's latest invitation (0 when none).</summary>
public sealed record MyRoomsData(IReadOnlyList<RoomInfo> Rooms, long LastInvitationId) : BemsData(MethodNames.PcGetMyRooms);

/// <summary>pc.SearchRooms completion: <c>Rooms</c> with a capital R, as the documentation writes it.</summary>
public sealed record SearchRoomsData([property: JsonPropertyName("Rooms")] IReadOnlyList<RoomInfo> Rooms) : BemsData(MethodNames.PcSearchRooms);

/// <summary>pc.GetRoomParticipants completion: <c>method</c> first, then <c>participants</c>, no state (the documented sample).</summary>
public sealed record RoomParticipantsData([property: JsonPropertyOrder(WireOrder.AfterMethod)] IReadOnlyList<Principal> Participants)
    : BemsData(MethodNames.PcGetRoomParticipants);

/// <summary>One message of pc.GetChatHistory: the fields of pc.MessageReceived without <c>method</c>.</summary>
public sealed record RoomHistoryMessage(
    string RoomId, string RoomName, string Message, string AuthorId,
    [property: JsonPropertyName(RoomMessageData.AuthorDisplayNameKey)] string AuthorDisplayName,
    long MessageId, bool IsAlert, [property: JsonPropertyName("timeStamp")] long TimeStamp, int FileLinkCount);

/// <summary>pc.GetChatHistory completion.</summary>
public sealed record ChatHistoryData(IReadOnlyList<RoomHistoryMessage> Messages) : BemsData(MethodNames.PcGetChatHistory);

/// <summary>pc.SendMessage completion: the client's messageId.</summary>
public sealed record RoomSendMessageData(string MessageId) : BemsData(MethodNames.PcSendMessage);

/// <summary>Event: the user was invited to a room (answer by following or joining it).</summary>
public sealed record RoomInvitationData(string RoomId, string RoomName, string RoomDescription, int NumberOfParticipants, long InvitationId)
    : BemsData(MethodNames.PcInvitationReceived);

/// <summary>
/// Event: a message was posted to a room the user has joined, <c>method</c> first as in the event's sample (spec §6.4). The
/// display name's key keeps the table's spelling (<c>autherDisplayName</c>); <c>messageId</c> is a number as in the
/// pc.SendMessage sample; <c>timeStamp</c> has a capital S.
/// </summary>
public sealed record RoomMessageData(
    [property: JsonPropertyOrder(WireOrder.AfterMethod)] string RoomId,
    [property: JsonPropertyOrder(WireOrder.AfterMethod)] string RoomName,
    [property: JsonPropertyOrder(WireOrder.AfterMethod)] string Message,
    [property: JsonPropertyOrder(WireOrder.AfterMethod)] string AuthorId,
    [property: JsonPropertyOrder(WireOrder.AfterMethod), JsonPropertyName(RoomMessageData.AuthorDisplayNameKey)] string AuthorDisplayName,
    [property: JsonPropertyOrder(WireOrder.AfterMethod)] long MessageId,
    [property: JsonPropertyOrder(WireOrder.AfterMethod)] bool IsAlert,
    [property: JsonPropertyOrder(WireOrder.AfterMethod), JsonPropertyName("timeStamp")] long TimeStamp,
    [property: JsonPropertyOrder(WireOrder.AfterMethod)] int FileLinkCount)
    : BemsData(MethodNames.PcMessageReceived)
{
    /// <summary>The documented (misspelt) key; one place to correct it if a capture shows <c>authorDisplayName</c>.</summary>
    public const string AuthorDisplayNameKey = "autherDisplayName";
}

/// <summary>
/// The author's own copy of pc.MessageReceived, laid out as the pc.SendMessage sample shows it (spec §5.11): its own
/// member order, <c>clientMessageId</c> and <c>"fileRequestId":null</c>, <c>method</c> last. The sample stops after
/// <c>authorId</c>; the table's other fields follow it. Sent without <c>"error":null</c> (<see cref="EventFrame.ErrorNull"/>).
/// </summary>
public sealed record OwnRoomMessageData : BemsData
{
    public OwnRoomMessageData(RoomMessageData message, string clientMessageId) : base(message.Method)
    {
        (Message, ClientMessageId, IsAlert, MessageId, FileLinkCount) = (message.Message, clientMessageId, message.IsAlert, message.MessageId, message.FileLinkCount);
        (RoomName, AuthorId, RoomId, AuthorDisplayName, TimeStamp) = (message.RoomName, message.AuthorId, message.RoomId, message.AuthorDisplayName, message.TimeStamp);
    }

    public string Message { get; }
    public string ClientMessageId { get; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? FileRequestId => null;

    public bool IsAlert { get; }
    public long MessageId { get; }
    public int FileLinkCount { get; }
    public string RoomName { get; }
    public string AuthorId { get; }
    public string RoomId { get; }

    [JsonPropertyName(RoomMessageData.AuthorDisplayNameKey)]
    public string AuthorDisplayName { get; }

    [JsonPropertyName("timeStamp")]
    public long TimeStamp { get; }
}

/// <summary>Event: another participant joined (<c>isActive</c> true) or left (false) a room; <c>method</c> after <c>roomId</c> (spec §6.5).</summary>
public sealed record ParticipantChangedData(
    string RoomId,
    [property: JsonPropertyOrder(WireOrder.AfterMethod)] string ParticipantName,
    [property: JsonPropertyOrder(WireOrder.AfterMethod)] string ParticipantId,
    [property: JsonPropertyOrder(WireOrder.AfterMethod)] bool IsActive)
    : BemsData(MethodNames.PcParticipantChanged);

/// <summary>Event: a room's settings changed; only the changed fields are present, after <c>roomId</c> and <c>method</c> (spec §6.6).</summary>
public sealed record RoomSettingsChangedData(
    string RoomId,
    [property: JsonPropertyOrder(WireOrder.AfterMethod)] string? NewRoomName = null,
    [property: JsonPropertyOrder(WireOrder.AfterMethod)] string? NewCategoryId = null,
    [property: JsonPropertyOrder(WireOrder.AfterMethod)] string? NewDescription = null,
    [property: JsonPropertyOrder(WireOrder.AfterMethod)] bool? IsDisabled = null,
    [property: JsonPropertyOrder(WireOrder.AfterMethod)] bool? IsMember = null,
    [property: JsonPropertyOrder(WireOrder.AfterMethod)] bool? IsManager = null) : BemsData(MethodNames.PcRoomSettingsChanged);
