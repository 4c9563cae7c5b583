using System.Text.Json;
using BemsServer.Protocol;
using BemsServer.Protocol.Data;

namespace BemsServer.Client;

/// <summary>A server event this client has no record for: its method and its raw <c>data</c>.</summary>
public sealed record UnknownEventData(string Method, JsonElement Data) : BemsData(Method);

/// <summary>Turns an event's <c>data</c> into the server's own record for it (the types in <c>BemsServer.Protocol.Data</c>).</summary>
internal static class Events
{
    private static readonly BemsJsonContext Json = BemsJsonContext.Default;

    public static BemsData Parse(string method, JsonElement data) => method switch
    {
        MethodNames.InvitationReceived => (BemsData?)data.Deserialize(Json.InvitationReceivedData),
        MethodNames.InvitationUpdate => data.Deserialize(Json.InvitationUpdateData),
        MethodNames.MessageReceived => data.Deserialize(Json.MessageReceivedData),
        MethodNames.MessageUpdate => data.Deserialize(Json.MessageUpdateData),
        MethodNames.TypingStarted or MethodNames.TypingStopped => data.Deserialize(Json.TypingData),
        MethodNames.ChatEnded => data.Deserialize(Json.ChatEndedData),
        MethodNames.ContactListUpdate => data.Deserialize(Json.ContactListUpdateData),
        MethodNames.PresenceUpdate => data.Deserialize(Json.PresenceUpdateData),
        MethodNames.FileXferInvitationReceived => data.Deserialize(Json.FileXferInvitationReceivedData),
        MethodNames.FileXferInvitationUpdate => data.Deserialize(Json.FileXferInvitationUpdateData),
        MethodNames.PcInvitationReceived => data.Deserialize(Json.RoomInvitationData),
        MethodNames.PcMessageReceived => data.Deserialize(Json.RoomMessageData),
        MethodNames.PcParticipantChanged => data.Deserialize(Json.ParticipantChangedData),
        MethodNames.PcRoomSettingsChanged => data.Deserialize(Json.RoomSettingsChangedData),
        _ => null,
    } ?? new UnknownEventData(method, data.Clone());
}
