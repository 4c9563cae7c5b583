using BemsServer.Protocol;
using BemsServer.Dispatch;
using BemsServer.Features.Directory;

namespace BemsServer.Features.Chats;

public enum ChatState
{
    /// <summary>The invitation is out; messages queue until the invitee answers.</summary>
    Pending,
    Active,
    /// <summary>Declined, expired, withdrawn or ended: no longer indexed.</summary>
    Closed,
}

/// <summary>Where a request's completion goes: the requesting connection and the request's id.</summary>
public readonly record struct Requester(IFrameTarget Target, RequestId Id);

/// <summary>A SendMessage waiting for its chat to be accepted.</summary>
public sealed record QueuedMessage(Requester Requester, DirectoryUser From, string Text, string ClientMessageId, long Timestamp);

/// <summary>
/// A one-to-one conversation. Its id is also the requestId of the invitation that opened it (the documented AcceptChat
/// answers chatId = requestId). All fields are guarded by <see cref="Gate"/>.
/// </summary>
public sealed class Chat(string id, DirectoryUser inviter, DirectoryUser invitee)
{
    public object Gate { get; } = new();
    public string Id { get; } = id;
    public DirectoryUser Inviter { get; } = inviter;
    public DirectoryUser Invitee { get; } = invitee;
    public ChatState State { get; set; } = ChatState.Pending;

    /// <summary>Messages sent while the invitation is pending, delivered in order on acceptance.</summary>
    public List<QueuedMessage> Queue { get; } = [];

    public ITimer? InvitationTimer { get; set; }

    /// <summary>Set when StartChat opened or joined the invitation: the inviter then hears its outcome (InvitationUpdate).</summary>
    public bool NotifyInviter { get; set; }

    public DirectoryUser Other(DirectoryUser user) => ReferenceEquals(user, Inviter) ? Invitee : Inviter;

    /// <summary>The newest delivered messages, oldest first, for the admin API.</summary>
    public Queue<DeliveredMessage> Delivered { get; } = new();

    /// <summary>Keeps a delivered message, dropping the oldest beyond <paramref name="capacity"/>.</summary>
    public void Log(DeliveredMessage message, int capacity)
    {
        if (capacity <= 0) return;
        Delivered.Enqueue(message);
        while (Delivered.Count > capacity) Delivered.Dequeue();
    }
}

/// <summary>A message as delivered in a chat: the server's message id, the sender, the text and the sender's own id.</summary>
public sealed record DeliveredMessage(string Id, DirectoryUser From, string Text, string ClientMessageId, long Timestamp);

/// <summary>A chat's index key: the two users in ordinal order.</summary>
public readonly record struct ChatPair(string First, string Second)
{
    public static ChatPair Of(string a, string b) => string.CompareOrdinal(a, b) <= 0 ? new(a, b) : new(b, a);
}
