namespace BemsServer.Protocol.Admin;

/// <summary>Where a one-to-one chat stands.</summary>
public enum ChatState
{
    /// <summary>The invitation is out; messages queue until the invitee answers.</summary>
    Pending,
    Active,
    /// <summary>Declined, expired, withdrawn or ended: no longer indexed.</summary>
    Closed,
}

/// <summary>A one-to-one chat: the messages still queued behind its invitation and the last delivered ones.</summary>
public sealed record ChatView(string Id, string Inviter, string Invitee, ChatState State, IReadOnlyList<QueuedView> Queued,
    IReadOnlyList<MessageView>? Messages = null);

/// <summary>A delivered message: <c>id</c> is the server's (MessageReceived's messageId), <c>messageId</c> the sender's.</summary>
public sealed record MessageView(string Id, string From, string Message, string MessageId, long Timestamp);

/// <summary>A message waiting for its chat's invitation to be accepted.</summary>
public sealed record QueuedView(string From, string Message, string MessageId, long Timestamp);
