using System.Collections.Concurrent;
using System.Globalization;
using BemsServer.Dispatch;
using BemsServer.Features.Directory;
using BemsServer.Features.Sessions;
using BemsServer.Protocol;
using BemsServer.Protocol.Admin;
using BemsServer.Protocol.Data;

namespace BemsServer.Features.Chats;

/// <summary>
/// A tenant's one-to-one chats: invitations, acceptance, queued messages and their single outcome each. State changes
/// and the frames they cause happen under the chat's lock, so that every party sees a chat's frames in the order its
/// state changed (a reply never overtakes the messages queued before it). A request's PROCESSING heads its effects
/// (see <see cref="Effects"/>), so releasing them here, after the change, keeps ack-then-push.
/// </summary>
internal sealed class ChatService(
    SessionRegistry sessions, TimeProvider time, TimeSpan invitationTimeout, int messageLog = ChatService.DefaultMessageLog,
    Diagnostics.BemsMetrics? metrics = null, TimeSpan? deliveryTimeout = null)
{
    /// <summary>Delivered messages a chat keeps for the admin API unless configured (<c>Bems:Chat:MessageLog</c>).</summary>
    public const int DefaultMessageLog = 200;

    /// <summary>
    /// How long a delivered message may wait for one of the peer's devices to take it before its SendMessage ends in
    /// MessageUpdate ack/timeout, unless configured (<c>Bems:Chat:DeliveryTimeout</c>; docs/protocol.md).
    /// </summary>
    public static readonly TimeSpan DefaultDeliveryTimeout = TimeSpan.FromSeconds(20);

    private readonly DeliveryDeadlines _deadlines = new(time, deliveryTimeout ?? DefaultDeliveryTimeout);

    private readonly ConcurrentDictionary<ChatPair, Chat> _byPair = new();
    private readonly ConcurrentDictionary<string, Chat> _byId = new(StringComparer.Ordinal);
    private readonly IssuedMessages _issued = new();

    public IEnumerable<Chat> Chats => _byId.Values;

    public Chat? Find(string chatId) => _byId.GetValueOrDefault(chatId);

    public Chat? Between(string a, string b) => _byPair.GetValueOrDefault(ChatPair.Of(a, b));

    /// <summary>
    /// Whether the server gave the message with this id to the user (MessageAck accepts repeats, e.g. from a second
    /// device, and refuses an id given to someone else as unknown).
    /// </summary>
    public bool WasIssuedTo(string messageId, string userKey) => _issued.IsFor(messageId, userKey);

    /// <summary>SendMessage: deliver in the open chat, queue behind a pending invitation, or invite first.</summary>
    public void SendMessage(Session sender, DirectoryUser to, QueuedMessage message, Effects fx) =>
        InChat(sender.User, to, fx, (sender.User, message), static (chats, chat, fresh, fx, state) =>
        {
            if (!fresh && chat.Invites(state.User)) chats.AcceptLocked(chat, fx); // answering an invitation with a message accepts it
            if (chat.State == ChatState.Active) chats.Deliver(chat, state.message, fx);
            else chat.Enqueue(state.message);
            if (fresh) chats.Invite(chat, fx);
        });

    /// <summary>StartChat: invite (or find the chat already open or pending); the COMPLETE carries the chat's id.</summary>
    public void StartChat(Session inviter, DirectoryUser to, Requester requester, long timestamp, Effects fx) =>
        InChat(inviter.User, to, fx, (inviter.User, requester, timestamp), static (chats, chat, fresh, fx, state) =>
        {
            fx.Send(state.requester.Target,
                new CompletionFrame(state.requester.Id, new StartChatData(state.timestamp, chat.Id) { State = Wire.Complete }));
            if (!fresh && chat.Invites(state.User)) chats.AcceptLocked(chat, fx);
            else if (chat.State == ChatState.Pending) chat.Join();
            if (fresh) chats.Invite(chat, fx);
        });

    /// <summary>
    /// The one way to a chat between two users for SendMessage and StartChat: the open or pending one, else a new
    /// invitation from <paramref name="from"/> (<c>fresh</c>), indexed. <paramref name="change"/> runs under the chat's
    /// lock, the chat not closed, and its frames are released right after it. <paramref name="change"/> is static and
    /// takes its <paramref name="state"/> by value: SendMessage's path allocates no closure.
    /// </summary>
    private void InChat<TState>(DirectoryUser from, DirectoryUser to, Effects fx, TState state, ChatChange<TState> change)
    {
        var pair = ChatPair.Of(from.Key, to.Key);
        while (true)
        {
            var fresh = !_byPair.TryGetValue(pair, out var chat);
            chat ??= new Chat(Guid.NewGuid().ToString(), from, to);
            lock (chat.Gate)
            {
                if (fresh ? !_byPair.TryAdd(pair, chat) : chat.State == ChatState.Closed) continue;
                if (fresh) _byId[chat.Id] = chat;
                change(this, chat, fresh, fx, state);
                ReleaseLocked(chat, fx);
                return;
            }
        }
    }

    private delegate void ChatChange<in TState>(ChatService chats, Chat chat, bool fresh, Effects fx, TState state);

    /// <summary>AcceptChat. False when no pending or open chat with that requestId invites this user.</summary>
    public bool Accept(Session by, string requestId, Requester requester, Effects fx)
    {
        if (!_byId.TryGetValue(requestId, out var chat)) return false;
        lock (chat.Gate)
        {
            if (chat.State == ChatState.Closed || !ReferenceEquals(chat.Invitee, by.User)) return false;
            fx.Send(requester.Target, new CompletionFrame(requester.Id, new AcceptChatData(chat.Id) { State = Wire.Complete }));
            if (chat.State == ChatState.Pending) AcceptLocked(chat, fx);
            fx.Release();
            return true;
        }
    }

    /// <summary>DeclineChat. False when no pending invitation with that requestId invites this user.</summary>
    public bool Decline(Session by, string requestId, Requester requester, Effects fx)
    {
        if (!_byId.TryGetValue(requestId, out var chat)) return false;
        lock (chat.Gate)
        {
            if (!chat.Invites(by.User)) return false;
            fx.Send(requester.Target, new CompletionFrame(requester.Id, new MethodData(MethodNames.DeclineChat) { State = Wire.Complete }));
            FailLocked(chat, Wire.DeclinedType, Wire.DeclinedStatus, Wire.Declined, fx);
            ReleaseLocked(chat, fx);
            return true;
        }
    }

    /// <summary>EndChat: closes the chat with the contact, if any. A pending invitation is withdrawn (or declined, by the invitee).</summary>
    public void End(Session by, DirectoryUser other, Effects fx)
    {
        if (!_byPair.TryGetValue(ChatPair.Of(by.User.Key, other.Key), out var chat)) return;
        lock (chat.Gate)
        {
            switch (chat.State)
            {
                case ChatState.Active:
                    chat.Close(); // forgotten once its frames are out (ReleaseLocked)
                    fx.Send(sessions.TargetsOf(other.Key), new EventFrame(new ChatEndedData(chat.Id, by.User.Uri)));
                    break;
                case ChatState.Pending when chat.Invites(by.User):
                    FailLocked(chat, Wire.DeclinedType, Wire.DeclinedStatus, Wire.Declined, fx);
                    break;
                case ChatState.Pending:
                    FailLocked(chat, Wire.DeclinedType, Wire.DeclinedStatus, updateStatus: null, fx);
                    fx.Send(sessions.TargetsOf(other.Key), new EventFrame(new ChatEndedData(chat.Id, by.User.Uri)));
                    break;
            }
            ReleaseLocked(chat, fx);
        }
    }

    /// <summary>The typing events go to the peer of the open chat; with no open chat there is nobody to tell.</summary>
    public void Typing(Session by, DirectoryUser peer, string eventName, Effects fx)
    {
        if (Between(by.User.Key, peer.Key) is not { } chat) return;
        lock (chat.Gate)
        {
            if (chat.State != ChatState.Active) return;
            fx.Send(sessions.TargetsOf(peer.Key), new EventFrame(new TypingData(eventName, chat.Id, by.User.Uri)));
            fx.Release();
        }
    }

    /// <summary>Forgets every chat without sending a frame (admin reset); pending invitations stop their timers.</summary>
    public void Clear()
    {
        foreach (var chat in _byId.Values)
            lock (chat.Gate)
            {
                chat.Close();
                Forget(chat);
            }
    }

    /// <summary>
    /// The server is stopping: every pending invitation ends now as an expired one would (queued messages get their
    /// MessageUpdate ack/timeout, the invitee ChatEnded), so that no accepted SendMessage is left without an outcome.
    /// Its caller closes sockets after it, so it returns only once every expiry has delivered its frames, its own and any
    /// another thread (the invitation's timer, another call) is making: a chat leaves the index only after its frames
    /// are out (<see cref="ReleaseLocked"/>), so a chat being expired elsewhere is found here and waited for at its lock.
    /// </summary>
    public void ExpirePending()
    {
        foreach (var chat in _byId.Values) Expire(chat);
    }

    private void Invite(Chat chat, Effects fx)
    {
        var targets = sessions.TargetsOf(chat.Invitee.Key);
        if (targets.Count == 0)
        {
            // Nobody to ring: the IM server refuses at once (as Skype for Business does for an offline user).
            FailLocked(chat, Wire.TimeoutType, Wire.TimeoutStatus, Wire.Expired, fx);
            return;
        }
        var now = Wire.Timestamp(time);
        fx.Send(targets, new EventFrame(new InvitationReceivedData(chat.Id, chat.Inviter.Uri, chat.Inviter.DisplayName, now)));
        chat.Ring(time.CreateTimer(static state =>
        {
            var (service, pending) = ((ChatService, Chat))state!;
            service.Expire(pending);
        }, (this, chat), invitationTimeout, Timeout.InfiniteTimeSpan));
    }

    private void Expire(Chat chat)
    {
        var fx = new Effects();
        lock (chat.Gate)
        {
            if (chat.State != ChatState.Pending) return;
            FailLocked(chat, Wire.TimeoutType, Wire.TimeoutStatus, Wire.Expired, fx);
            fx.Send(sessions.TargetsOf(chat.Invitee.Key), new EventFrame(new ChatEndedData(chat.Id, chat.Inviter.Uri)));
            ReleaseLocked(chat, fx);
        }
    }

    private void AcceptLocked(Chat chat, Effects fx)
    {
        var queued = chat.Open();
        if (chat.NotifyInviter)
            fx.Send(sessions.TargetsOf(chat.Inviter.Key), new EventFrame(new InvitationUpdateData(chat.Id, chat.Invitee.Uri, Wire.Accepted)));
        foreach (var message in queued) Deliver(chat, message, fx);
    }

    /// <summary>
    /// Ends a pending invitation: every queued message gets its one MessageUpdate; a StartChat inviter hears the status.
    /// The caller releases with <see cref="ReleaseLocked"/>, which forgets the chat once the frames are out.
    /// </summary>
    private void FailLocked(Chat chat, string type, string status, string? updateStatus, Effects fx)
    {
        string[] recipients = [chat.Invitee.Uri];
        foreach (var queued in chat.Close()) fx.Send(queued.Requester.Target, Failure(queued, type, status, recipients));
        if (chat.NotifyInviter && updateStatus is not null)
            fx.Send(sessions.TargetsOf(chat.Inviter.Key), new EventFrame(new InvitationUpdateData(chat.Id, chat.Invitee.Uri, updateStatus)));
    }

    private void Deliver(Chat chat, QueuedMessage message, Effects fx)
    {
        var to = chat.Other(message.From);
        var targets = sessions.TargetsOf(to.Key);
        if (targets.Count == 0)
        {
            // The peer signed out of every device since: no endpoint acknowledges the message.
            fx.Send(message.Requester.Target, Failure(message, Wire.TimeoutType, Wire.TimeoutStatus, [to.Uri]));
            return;
        }
        var number = _issued.Issue(to.Key);
        var id = number.ToString(CultureInfo.InvariantCulture);
        // The sender's COMPLETE follows the message onto a device's socket (MessageReceipt): a message left queued to a
        // client cut off for not reading ends in MessageUpdate ack/timeout, as for a device that cannot be reached.
        // A device that never takes it does not hold the sender's outcome: it ends at the delivery bound (DeliveryDeadlines).
        var receipt = new MessageReceipt(this, message, chat.Id, to.Uri, targets.Count);
        _deadlines.Add(receipt);
        fx.Send(targets, new EventFrame(new MessageReceivedData(id, chat.Id, message.From.Uri, message.Text, message.Timestamp))
        {
            Receipt = receipt,
        });
        chat.Log(number, message.From, message.Text, message.ClientMessageId, message.Timestamp, messageLog);
    }

    /// <summary>
    /// Ends a delivered message's SendMessage: COMPLETE once one of the peer's devices took the message, MessageUpdate
    /// ack/timeout once every one of them dropped it or none took it within the delivery bound. Exactly one of the two,
    /// whichever devices report, in any order, before or after the bound.
    /// </summary>
    private sealed class MessageReceipt(ChatService chats, QueuedMessage message, string chatId, string peer, int devices)
        : IDeliveryReceipt, IDeliveryDeadline
    {
        private int _pending = devices;
        private int _ended;

        public bool HasEnded => Volatile.Read(ref _ended) != 0;

        public void TimedOut()
        {
            if (Interlocked.Exchange(ref _ended, 1) != 0) return;
            message.Requester.Target.Deliver(chats.Failure(message, Wire.TimeoutType, Wire.TimeoutStatus, [peer]));
        }

        public void Written()
        {
            // Stryker disable once Statement : after Written the receipt has ended, and _pending only decides a Dropped that a not-yet-ended receipt would act on
            Interlocked.Decrement(ref _pending);
            if (Interlocked.Exchange(ref _ended, 1) != 0) return;
            message.Requester.Target.Deliver(new CompletionFrame(message.Requester.Id,
                new SendMessageData(message.Timestamp.ToString(CultureInfo.InvariantCulture), chatId) { State = Wire.Complete }));
            chats.Delivered();
        }

        public void Dropped()
        {
            if (Interlocked.Decrement(ref _pending) > 0 || Interlocked.Exchange(ref _ended, 1) != 0) return;
            message.Requester.Target.Deliver(chats.Failure(message, Wire.TimeoutType, Wire.TimeoutStatus, [peer]));
        }
    }

    private void Delivered() => metrics?.MessageDelivered();

    /// <summary>The MessageUpdate that ends a SendMessage, stamped with its request id (a later request may depend on it).</summary>
    private MessageUpdateFrame Failure(QueuedMessage message, string type, string status, string[] recipients)
    {
        metrics?.MessageFailed(declined: type == Wire.DeclinedType);
        return new(new MessageUpdateData(type, status, recipients, message.ClientMessageId)) { Request = message.Requester.Id };
    }

    /// <summary>
    /// Releases a change's frames under the chat's lock, then forgets the chat if the change closed it: whoever found it
    /// in the index before (a shutdown's expiry of every pending chat) waits at its lock and finds its frames delivered.
    /// </summary>
    private void ReleaseLocked(Chat chat, Effects fx)
    {
        fx.Release();
        if (chat.State == ChatState.Closed) Forget(chat);
    }

    private void Forget(Chat chat)
    {
        _byPair.TryRemove(new KeyValuePair<ChatPair, Chat>(ChatPair.Of(chat.Inviter.Key, chat.Invitee.Key), chat));
        _byId.TryRemove(chat.Id, out _);
    }
}
