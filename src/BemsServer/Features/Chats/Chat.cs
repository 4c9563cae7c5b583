using BemsServer.Dispatch;
using BemsServer.Features.Directory;
using BemsServer.Protocol;
using BemsServer.Protocol.Admin;

namespace BemsServer.Features.Chats;

/// <summary>Where a request's completion goes: the requesting connection and the request's id.</summary>
internal readonly record struct Requester(IFrameTarget Target, RequestId Id);

/// <summary>A SendMessage waiting for its chat to be accepted.</summary>
internal sealed record QueuedMessage(Requester Requester, DirectoryUser From, string Text, string ClientMessageId, long Timestamp);

/// <summary>
/// A one-to-one conversation. Its id is also the requestId of the invitation that opened it (the documented AcceptChat
/// answers chatId = requestId). All fields are guarded by <see cref="Gate"/>: its transitions (<see cref="Ring"/>,
/// <see cref="Enqueue"/>, <see cref="Join"/>, <see cref="Open"/>, <see cref="Close"/>) are called under it, and the
/// frames they cause are the caller's (<see cref="ChatService"/>). Only a pending chat holds queued messages.
/// </summary>
internal sealed class Chat(string id, DirectoryUser inviter, DirectoryUser invitee)
{
    private readonly List<QueuedMessage> _queue = [];
    private MessageLog? _log;

    public object Gate { get; } = new();
    public string Id { get; } = id;
    public DirectoryUser Inviter { get; } = inviter;
    public DirectoryUser Invitee { get; } = invitee;
    public ChatState State { get; private set; } = ChatState.Pending;

    /// <summary>Messages sent while the invitation is pending, delivered in order on acceptance.</summary>
    public IReadOnlyList<QueuedMessage> Queue => _queue;

    /// <summary>The pending invitation's timer (its expiry), stopped when the chat opens or closes.</summary>
    public ITimer? InvitationTimer { get; private set; }

    /// <summary>Set when StartChat opened or joined the invitation: the inviter then hears its outcome (InvitationUpdate).</summary>
    public bool NotifyInviter { get; private set; }

    public DirectoryUser Other(DirectoryUser user) => ReferenceEquals(user, Inviter) ? Invitee : Inviter;

    /// <summary>Whether this is a pending invitation to <paramref name="user"/> (who may answer it).</summary>
    public bool Invites(DirectoryUser user) => State == ChatState.Pending && ReferenceEquals(Invitee, user);

    /// <summary>The invitation is out: <paramref name="expiry"/> ends it unless it is answered or withdrawn first.</summary>
    public void Ring(ITimer expiry) => InvitationTimer = expiry;

    /// <summary>A message sent while the invitation is pending waits for its answer.</summary>
    public void Enqueue(QueuedMessage message) => _queue.Add(message);

    /// <summary>StartChat opened or joined the invitation: the inviter hears how it ends.</summary>
    public void Join() => NotifyInviter = true;

    /// <summary>Pending to active: the invitation's timer stops; returns the queued messages, oldest first, to deliver now.</summary>
    public QueuedMessage[] Open()
    {
        State = ChatState.Active;
        return Settle();
    }

    /// <summary>
    /// Closed (declined, expired, withdrawn, ended or forgotten): the invitation's timer, if any, stops; returns the
    /// messages still queued, each owed its MessageUpdate.
    /// </summary>
    public QueuedMessage[] Close()
    {
        State = ChatState.Closed;
        return Settle();
    }

    private QueuedMessage[] Settle()
    {
        InvitationTimer?.Dispose();
        InvitationTimer = null;
        var queued = _queue.ToArray();
        _queue.Clear();
        return queued;
    }

    /// <summary>The newest delivered messages, oldest first, for the admin API.</summary>
    public IReadOnlyList<DeliveredMessage> Delivered() => _log?.ToList() ?? [];

    /// <summary>
    /// Keeps a delivered message (server id <paramref name="id"/>) in a log of the newest <paramref name="capacity"/>;
    /// a capacity of 0 keeps none, and makes no log.
    /// </summary>
    public void Log(long id, DirectoryUser from, string text, string clientMessageId, long timestamp, int capacity)
    {
        if (capacity <= 0) return;
        (_log ??= new MessageLog(capacity)).Add(id, from, text, clientMessageId, timestamp);
    }
}

/// <summary>A chat's index key: the two users in ordinal order.</summary>
internal readonly record struct ChatPair(string First, string Second)
{
    // Stryker disable once Equality : for equal keys (a == b) both orders give the same pair, so "<" and "<=" cannot differ
    public static ChatPair Of(string a, string b) => string.CompareOrdinal(a, b) <= 0 ? new(a, b) : new(b, a);
}
