namespace BemsServer.Protocol.Admin;

/// <summary>Room security levels. <c>Closed</c> is the third level the documentation implies (spec §5).</summary>
public enum RoomPrivacy
{
    /// <summary>Anyone finds, joins, reads and (once joined) posts.</summary>
    Open,
    /// <summary>Anyone finds it; only members join, read and post.</summary>
    Closed,
    /// <summary>Only members know it exists.</summary>
    Secret,
}

/// <summary>A room in the list: its member, participant and message counts.</summary>
public sealed record RoomSummary(string Id, string Name, string Category, RoomPrivacy Privacy, bool Disabled, int Members, int Participants, int Messages);

/// <summary>One room: managers, members, participants and its last messages, oldest first.</summary>
public sealed record RoomView(
    string Id, string Name, string Description, string Category, RoomPrivacy Privacy, bool Disabled, bool SkipInvitations,
    IReadOnlyList<string> Managers, IReadOnlyList<string> Members, IReadOnlyList<string> Participants, int Messages,
    IReadOnlyList<RoomMessageView> History);

/// <summary>A posted message of a room's history.</summary>
public sealed record RoomMessageView(long Id, string Author, string Text, bool IsAlert, long Timestamp);
