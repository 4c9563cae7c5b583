namespace BemsServer.Protocol;

/// <summary>The JSON-RPC method names of BEMS-Connect requests and server events, exactly as they appear on the wire.</summary>
public static class MethodNames
{
    // Sessions
    public const string BeginSession = "BeginSession";
    public const string TerminateSession = "TerminateSession";
    public const string Ping = "Ping";
    public const string SetGDAuthToken = "SetGDAuthToken";
    public const string SetGDToken = "SetGDToken";

    // One-to-one chat
    public const string StartChat = "StartChat";
    public const string AcceptChat = "AcceptChat";
    public const string DeclineChat = "DeclineChat";
    public const string EndChat = "EndChat";
    public const string SendMessage = "SendMessage";
    public const string MessageAck = "MessageAck";
    public const string StartTyping = "StartTyping";
    public const string StopTyping = "StopTyping";

    // Contact list and groups
    public const string GetContactList = "GetContactList";
    public const string AddContact = "AddContact";
    public const string RemoveContact = "RemoveContact";
    public const string AddGroup = "AddGroup";
    public const string RemoveGroup = "RemoveGroup";
    public const string RenameGroup = "RenameGroup";
    public const string CopyContactToGroup = "CopyContactToGroup";
    public const string MoveContact = "MoveContact";
    public const string RemoveContactFromGroup = "RemoveContactFromGroup";

    // Presence
    public const string SetPresence = "SetPresence";
    public const string SetPersonalMessage = "SetPersonalMessage";
    public const string GetContactsState = "GetContactsState";
    public const string GetContactState = "GetContactState";
    public const string RegisterTempRemotePresence = "RegisterTempRemotePresence";
    public const string UnRegisterTempRemotePresence = "UnRegisterTempRemotePresence";
    /// <summary>The wire name the documentation's samples use for UnRegisterTempRemotePresence.</summary>
    public const string UnRegisterTempRemotePresenceSubscription = "UnRegisterTempRemotePresenceSubscription";

    // Directory
    public const string SearchDirectory = "SearchDirectory";
    /// <summary>The wire name the documentation's request sample uses for SearchDirectory.</summary>
    public const string DirectorySearch = "DirectorySearch";
    public const string GetContactDetail = "GetContactDetail";
    public const string GetContactPhotos = "GetContactPhotos";

    // File transfer
    public const string InviteFileXfer = "InviteFileXfer";
    public const string AcceptFileXfer = "AcceptFileXfer";
    public const string DeclineFileXfer = "DeclineFileXfer";

    // Background
    public const string NotifyBackground = "NotifyBackground";

    // Server events (names marked inferred in docs/protocol.md are our choice)
    public const string InvitationReceived = "InvitationReceived";
    public const string InvitationUpdate = "InvitationUpdate";
    public const string MessageReceived = "MessageReceived";
    public const string MessageUpdate = "MessageUpdate";
    public const string TypingStarted = "TypingStarted";
    public const string TypingStopped = "TypingStopped";
    public const string ChatEnded = "ChatEnded";

    // Persistent chat (group discussion rooms)
    public const string PcCreateRoom = "pc.CreateRoom";
    public const string PcUpdateRoom = "pc.UpdateRoom";
    public const string PcDisableRoom = "pc.DisableRoom";
    public const string PcGetRoom = "pc.GetRoom";
    public const string PcSearchRooms = "pc.SearchRooms";
    public const string PcGetMyRooms = "pc.GetMyRooms";
    public const string PcGetRoomParticipants = "pc.GetRoomParticipants";
    public const string PcFollowRooms = "pc.FollowRooms";
    public const string PcJoinRoom = "pc.JoinRoom";
    public const string PcLeaveRoom = "pc.LeaveRoom";
    public const string PcSendMessage = "pc.SendMessage";
    public const string PcGetChatHistory = "pc.GetChatHistory";
    public const string PcInvitationReceived = "pc.InvitationReceived";
    public const string PcMessageReceived = "pc.MessageReceived";
    public const string PcParticipantChanged = "pc.ParticipantChanged";
    public const string PcRoomSettingsChanged = "pc.RoomSettingsChanged";
    public const string ContactListUpdate = "ContactListUpdate";
    public const string PresenceUpdate = "PresenceUpdate";
    public const string FileXferInvitationReceived = "FileXferInvitationReceived";
    public const string FileXferInvitationUpdate = "FileXferInvitationUpdate";
}
