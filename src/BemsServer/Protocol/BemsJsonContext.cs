using System.Text.Json.Serialization;
using BemsServer.Protocol.Data;

namespace BemsServer.Protocol;

/// <summary>Source-generated serialization metadata for every wire payload, shared by all connections.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(MethodData))]
[JsonSerializable(typeof(ErrorData))]
[JsonSerializable(typeof(PingData))]
[JsonSerializable(typeof(LegacyStatus))]
[JsonSerializable(typeof(SendMessageData))]
[JsonSerializable(typeof(StartChatData))]
[JsonSerializable(typeof(AcceptChatData))]
[JsonSerializable(typeof(StartTypingData))]
[JsonSerializable(typeof(InvitationReceivedData))]
[JsonSerializable(typeof(InvitationUpdateData))]
[JsonSerializable(typeof(MessageReceivedData))]
[JsonSerializable(typeof(TypingData))]
[JsonSerializable(typeof(ChatEndedData))]
[JsonSerializable(typeof(MessageUpdateData))]
[JsonSerializable(typeof(CreateRoomData))]
[JsonSerializable(typeof(RoomDetailsData))]
[JsonSerializable(typeof(MyRoomsData))]
[JsonSerializable(typeof(SearchRoomsData))]
[JsonSerializable(typeof(RoomParticipantsData))]
[JsonSerializable(typeof(ChatHistoryData))]
[JsonSerializable(typeof(RoomSendMessageData))]
[JsonSerializable(typeof(RoomInvitationData))]
[JsonSerializable(typeof(RoomMessageData))]
[JsonSerializable(typeof(OwnRoomMessageData))]
[JsonSerializable(typeof(ParticipantChangedData))]
[JsonSerializable(typeof(RoomSettingsChangedData))]
[JsonSerializable(typeof(MessageResultData))]
[JsonSerializable(typeof(GetContactListData))]
[JsonSerializable(typeof(GetContactDetailData))]
[JsonSerializable(typeof(ContactListUpdateData))]
[JsonSerializable(typeof(SearchDirectoryData))]
[JsonSerializable(typeof(GetContactPhotosData))]
[JsonSerializable(typeof(GetContactsStateData))]
[JsonSerializable(typeof(PresenceUpdateData))]
[JsonSerializable(typeof(FileXferInvitationReceivedData))]
[JsonSerializable(typeof(FileXferInvitationUpdateData))]
public sealed partial class BemsJsonContext : JsonSerializerContext;
