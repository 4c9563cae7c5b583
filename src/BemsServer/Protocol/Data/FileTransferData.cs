namespace BemsServer.Protocol.Data;

/// <summary>Event to the recipient of InviteFileXfer, as documented: the sender, the file, and the id to answer with.</summary>
public sealed record FileXferInvitationReceivedData(string ContactId, string FileName, long FileSize, string FileId)
    : BemsData(MethodNames.FileXferInvitationReceived);

/// <summary>
/// Event to the sender: <c>status</c> Accepted, Declined or Expired. The documented sample carries <c>"state":"COMPLETE"</c>
/// inside data, so the server sets it.
/// </summary>
public sealed record FileXferInvitationUpdateData(string FileId, string Status) : BemsData(MethodNames.FileXferInvitationUpdate);
