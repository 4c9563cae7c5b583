using BemsServer.Dispatch;
using BemsServer.Features.Chats;
using BemsServer.Features.Directory;
using BemsServer.Features.Sessions;
using BemsServer.Protocol;
using BemsServer.Protocol.Admin;
using BemsServer.Protocol.Data;
using Microsoft.Extensions.Time.Testing;

namespace BemsServer.Tests.Features;

/// <summary>
/// The one-to-one chat state machine without a host: three signed-in users whose sessions record every frame they get.
/// The tests never release effects themselves, so a frame seen here is one the service released.
/// </summary>
public sealed class ChatServiceTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero));
    private readonly SessionRegistry _sessions;
    private readonly ChatService _chats;
    private readonly Party _alice;
    private readonly Party _bob;
    private readonly Party _carol;
    private int _nextRequest;

    public ChatServiceTests()
    {
        _sessions = new SessionRegistry(_clock);
        _chats = new ChatService(_sessions, _clock, Timeout, messageLog: 2);
        _alice = SignIn("alice@example.com");
        _bob = SignIn("bob@example.com");
        _carol = SignIn("carol@example.com");
    }

    /// <summary>
    /// A signed-in user, their one session, and what its device received, described one frame a line. The device takes
    /// every frame at once (its receipt written) unless the test says it drops them (a connection cut off for not reading)
    /// or holds their receipts (a socket that stopped taking bytes).
    /// </summary>
    private sealed class Party(DirectoryUser user)
    {
        public DirectoryUser User { get; } = user;
        public RecordingTarget Device { get; } = new(ReceiptReply.Written);
        public Session Session { get; set; } = null!;
        public List<string> Frames => [.. Device.Frames.Select(Describe)];

        public List<string> Take() => [.. Device.Take().Select(Describe)];
    }

    private static string Describe(OutboundFrame frame) => frame switch
    {
        CompletionFrame { Data: StartChatData } c => $"{c.Data.State} {c.Id.String} StartChat",
        CompletionFrame { Data: SendMessageData s } c => $"{c.Data.State} {c.Id.String} SendMessage {s.Timestamp}",
        CompletionFrame c => $"{c.Data.State} {c.Id.String} {c.Data.Method}",
        MessageUpdateFrame m => $"MessageUpdate {m.Request.String} {m.Data.Type}/{m.Data.Status} {m.Data.MessageId} to {string.Join(",", m.Data.ContactIds)}",
        EventFrame { Data: InvitationReceivedData i } => $"InvitationReceived from {i.ContactId}",
        EventFrame { Data: InvitationUpdateData u } => $"InvitationUpdate {u.Status} by {u.ContactId}",
        EventFrame { Data: MessageReceivedData r } => $"MessageReceived {r.MessageId} '{r.Message}' from {r.ContactId}",
        EventFrame { Data: ChatEndedData e } => $"ChatEnded by {e.ContactId}",
        EventFrame { Data: TypingData t } => $"{t.Method} by {t.ContactId}",
        _ => frame.GetType().Name,
    };

    private Party SignIn(string key)
    {
        var party = new Party(new DirectoryUser(key, key, Behavior.None));
        party.Session = new Session("s-" + key, party.User, "device-" + key, "2.3", party.Device, _clock.GetUtcNow());
        _sessions.Register(party.Session);
        return party;
    }

    private Requester Request(Party party, out string id)
    {
        id = "r" + ++_nextRequest;
        return new Requester(party.Device, new RequestId(id));
    }

    private string Send(Party from, Party to, string text, long timestamp = 100)
    {
        var requester = Request(from, out var id);
        _chats.SendMessage(from.Session, to.User, new QueuedMessage(requester, from.User, text, "m-" + id, timestamp), new Effects());
        return id;
    }

    /// <summary>An open chat between the two, with what it took to open it already taken from both.</summary>
    private void OpenChat(Party inviter, Party invitee, ChatService? chats = null)
    {
        chats ??= _chats;
        chats.StartChat(inviter.Session, invitee.User, Request(inviter, out _), 1, new Effects());
        chats.Accept(invitee.Session, chats.Between(inviter.User.Key, invitee.User.Key)!.Id, Request(invitee, out _), new Effects());
        inviter.Take();
        invitee.Take();
    }

    private Chat ChatOf(Party a, Party b) => _chats.Between(a.User.Key, b.User.Key) ?? throw new InvalidOperationException("no chat");

    private bool Accept(Party by, Chat chat) => _chats.Accept(by.Session, chat.Id, Request(by, out _), new Effects());

    private bool Decline(Party by, Chat chat) => _chats.Decline(by.Session, chat.Id, Request(by, out _), new Effects());

    private static bool IsDisposed(ITimer timer) => !timer.Change(TimeSpan.FromSeconds(1), System.Threading.Timeout.InfiniteTimeSpan);

    [Fact]
    public void SendMessage_NoChatYet_InvitesTheRecipientAndQueuesTheMessage()
    {
        Send(_alice, _bob, "hello");

        _bob.Take().Should().Equal("InvitationReceived from sip:alice@example.com");
        _alice.Frames.Should().BeEmpty("the message waits for the invitation's answer");
        var chat = ChatOf(_alice, _bob);
        chat.State.Should().Be(ChatState.Pending);
        chat.Queue.Select(static m => m.Text).Should().Equal("hello");
        _chats.Find(chat.Id).Should().BeSameAs(chat);
    }

    [Fact]
    public void Accept_ByTheInvitee_DeliversTheQueueInOrder_CompletesEachSend_AndEndsTheInvitation()
    {
        var first = Send(_alice, _bob, "one", timestamp: 1);
        var second = Send(_alice, _bob, "two", timestamp: 2);
        var chat = ChatOf(_alice, _bob);
        var timer = chat.InvitationTimer!;
        _bob.Take();
        var requester = Request(_bob, out var acceptId);

        _chats.Accept(_bob.Session, chat.Id, requester, new Effects()).Should().BeTrue();

        _bob.Take().Should().Equal($"COMPLETE {acceptId} AcceptChat", "MessageReceived 1 'one' from sip:alice@example.com",
            "MessageReceived 2 'two' from sip:alice@example.com");
        _alice.Take().Should().Equal($"COMPLETE {first} SendMessage 1", $"COMPLETE {second} SendMessage 2");
        chat.State.Should().Be(ChatState.Active);
        chat.Queue.Should().BeEmpty();
        chat.InvitationTimer.Should().BeNull();
        IsDisposed(timer).Should().BeTrue("an answered invitation stops its timer");
        _chats.WasIssuedTo("1", _bob.Session.User.Key).Should().BeTrue("the first id the server issues is 1");
        _chats.WasIssuedTo("2", _bob.Session.User.Key).Should().BeTrue();
        _chats.WasIssuedTo("1", _alice.Session.User.Key).Should().BeFalse("the message was given to bob, not to its sender");
    }

    [Fact]
    public void Accept_ByAThirdUserOrTheInviter_IsRefusedAndChangesNothing()
    {
        Send(_alice, _bob, "for bob only");
        var chat = ChatOf(_alice, _bob);
        _bob.Take();

        Accept(_carol, chat).Should().BeFalse("only the invitee may accept");
        Accept(_alice, chat).Should().BeFalse("the inviter cannot accept its own invitation");

        chat.State.Should().Be(ChatState.Pending);
        chat.Queue.Should().ContainSingle();
        (_alice.Frames.Count + _bob.Frames.Count + _carol.Frames.Count).Should().Be(0);
        Accept(_bob, chat).Should().BeTrue();
        _carol.Frames.Should().BeEmpty();
    }

    [Fact]
    public void Accept_AnOpenChat_CompletesAgainWithoutRedelivering_ButAClosedOneIsUnknown()
    {
        Send(_alice, _bob, "hi");
        var chat = ChatOf(_alice, _bob);
        Accept(_bob, chat).Should().BeTrue();
        _bob.Take();
        var requester = Request(_bob, out var again);

        _chats.Accept(_bob.Session, chat.Id, requester, new Effects()).Should().BeTrue();

        _bob.Take().Should().Equal($"COMPLETE {again} AcceptChat");
        _chats.End(_bob.Session, _alice.User, new Effects());
        Accept(_bob, chat).Should().BeFalse("an ended chat cannot be accepted");
        _chats.Accept(_bob.Session, "no-such-chat", Request(_bob, out _), new Effects()).Should().BeFalse();
    }

    [Fact]
    public void Decline_ByAThirdUserOrTheInviter_IsRefusedAndChangesNothing()
    {
        Send(_alice, _bob, "for bob only");
        var chat = ChatOf(_alice, _bob);
        _bob.Take();

        Decline(_carol, chat).Should().BeFalse("only the invitee may decline");
        Decline(_alice, chat).Should().BeFalse();

        chat.State.Should().Be(ChatState.Pending);
        chat.Queue.Should().ContainSingle();
        (_alice.Frames.Count + _bob.Frames.Count + _carol.Frames.Count).Should().Be(0);
        _chats.Decline(_bob.Session, "no-such-chat", Request(_bob, out _), new Effects()).Should().BeFalse();
    }

    [Fact]
    public void Decline_ByTheInvitee_FailsEveryQueuedMessageOnce_AndForgetsTheChat()
    {
        var first = Send(_alice, _bob, "one");
        var second = Send(_alice, _bob, "two");
        var chat = ChatOf(_alice, _bob);
        var timer = chat.InvitationTimer!;
        _bob.Take();
        var requester = Request(_bob, out var declineId);

        _chats.Decline(_bob.Session, chat.Id, requester, new Effects()).Should().BeTrue();

        _bob.Take().Should().Equal($"COMPLETE {declineId} DeclineChat");
        _alice.Take().Should().Equal($"MessageUpdate {first} declined/terminated m-{first} to sip:bob@example.com",
            $"MessageUpdate {second} declined/terminated m-{second} to sip:bob@example.com");
        chat.State.Should().Be(ChatState.Closed);
        chat.Queue.Should().BeEmpty();
        IsDisposed(timer).Should().BeTrue();
        _chats.Find(chat.Id).Should().BeNull();
        _chats.Between(_alice.User.Key, _bob.User.Key).Should().BeNull();
        Decline(_bob, chat).Should().BeFalse("an invitation is answered once");
        _clock.Advance(Timeout);
        _alice.Frames.Should().BeEmpty("a declined invitation does not expire as well");
    }

    [Fact]
    public void Invitation_NotAnswered_ExpiresOnTheClock()
    {
        var id = Send(_alice, _bob, "anyone?");
        var chat = ChatOf(_alice, _bob);
        _bob.Take();

        _clock.Advance(Timeout - TimeSpan.FromTicks(1));
        _alice.Frames.Should().BeEmpty();
        _clock.Advance(TimeSpan.FromTicks(1));

        _alice.Take().Should().Equal($"MessageUpdate {id} ack/timeout m-{id} to sip:bob@example.com");
        _bob.Take().Should().Equal("ChatEnded by sip:alice@example.com");
        chat.Queue.Should().BeEmpty();
        _chats.Find(chat.Id).Should().BeNull();
    }

    [Fact]
    public void ExpirePending_EndsEveryPendingInvitationAsExpired_AndLeavesOpenChatsAlone()
    {
        var queued = Send(_alice, _bob, "waiting");
        Send(_carol, _alice, "open");
        Accept(_alice, ChatOf(_carol, _alice));
        var pending = ChatOf(_alice, _bob);
        var timer = pending.InvitationTimer!;
        _alice.Take();
        _bob.Take();
        _carol.Take();

        _chats.ExpirePending();

        _alice.Take().Should().Equal($"MessageUpdate {queued} ack/timeout m-{queued} to sip:bob@example.com");
        _bob.Take().Should().Equal("ChatEnded by sip:alice@example.com");
        _carol.Frames.Should().BeEmpty();
        IsDisposed(timer).Should().BeTrue();
        ChatOf(_carol, _alice).State.Should().Be(ChatState.Active);
        _chats.ExpirePending();
        (_alice.Frames.Count + _bob.Frames.Count).Should().Be(0, "an invitation ends once");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ExpirePending_WhileAnotherExpiryIsDelivering_ReturnsOnlyOnceThatExpirysFramesAreOut(bool byTheTimer)
    {
        // A stopping server calls it, then closes its sockets: a call that returned while another expiry (another call, or
        // the invitation's own timer) was still delivering a MessageUpdate let a socket close before its frame (seen as a
        // lost outcome at shutdown).
        var during = new SecondCallDuringDelivery(_chats);
        var sender = new Party(new DirectoryUser("dave@example.com", "dave@example.com", Behavior.None));
        sender.Session = new Session("s-dave", sender.User, "device-dave", "2.3", during, _clock.GetUtcNow());
        _sessions.Register(sender.Session);
        _chats.SendMessage(sender.Session, _bob.User,
            new QueuedMessage(new Requester(during, new RequestId("r-dave")), sender.User, "waiting", "m-dave", 100), new Effects());

        if (byTheTimer) _clock.Advance(Timeout);
        else _chats.ExpirePending();

        during.SecondCall.Should().NotBeNull("the invitation expired and its MessageUpdate was delivered");
        during.SecondCallReturnedDuringDelivery.Should().BeFalse("the second call waits for the expiry being delivered");
        await during.SecondCall!.WaitAsync(Bound); // and returns once it is done
    }

    /// <summary>A device that, on the MessageUpdate, starts a second ExpirePending and sees whether it returns meanwhile.</summary>
    private sealed class SecondCallDuringDelivery(ChatService chats) : IFrameTarget
    {
        public Task? SecondCall { get; private set; }

        public bool SecondCallReturnedDuringDelivery { get; private set; }

        public void Deliver(OutboundFrame frame)
        {
            if (frame is not MessageUpdateFrame) return;
            SecondCall = Task.Run(chats.ExpirePending);
            // Were the chat forgotten before its frames were out, the second call would not find it and return at once.
            SecondCallReturnedDuringDelivery = SecondCall.Wait(TimeSpan.FromMilliseconds(500));
        }
    }

    [Fact]
    public void StartChat_ThenAccepted_TheInviterHearsTheOutcome()
    {
        var requester = Request(_alice, out var startId);
        _chats.StartChat(_alice.Session, _bob.User, requester, 42, new Effects());
        var chat = ChatOf(_alice, _bob);

        _alice.Take().Should().Equal($"COMPLETE {startId} StartChat");
        _bob.Take().Should().Equal("InvitationReceived from sip:alice@example.com");
        Accept(_bob, chat).Should().BeTrue();
        _alice.Take().Should().Equal("InvitationUpdate Accepted by sip:bob@example.com");
    }

    [Fact]
    public void StartChat_OnAPendingInvitation_ByTheInviteeAccepts_ByTheInviterAsksForTheOutcome()
    {
        var sent = Send(_alice, _bob, "queued");
        var chat = ChatOf(_alice, _bob);
        _bob.Take();
        var again = Request(_alice, out var againId);

        _chats.StartChat(_alice.Session, _bob.User, again, 1, new Effects());

        _alice.Take().Should().Equal($"COMPLETE {againId} StartChat");
        chat.NotifyInviter.Should().BeTrue();
        chat.State.Should().Be(ChatState.Pending);
        var answer = Request(_bob, out var answerId);
        _chats.StartChat(_bob.Session, _alice.User, answer, 2, new Effects());
        chat.State.Should().Be(ChatState.Active);
        _bob.Take().Should().Equal($"COMPLETE {answerId} StartChat", "MessageReceived 1 'queued' from sip:alice@example.com");
        _alice.Take().Should().Equal("InvitationUpdate Accepted by sip:bob@example.com", $"COMPLETE {sent} SendMessage 100");
    }

    [Fact]
    public void StartChat_ThenDeclined_TheInviterHearsDeclined()
    {
        _chats.StartChat(_alice.Session, _bob.User, Request(_alice, out _), 1, new Effects());
        var chat = ChatOf(_alice, _bob);
        _alice.Take();

        Decline(_bob, chat).Should().BeTrue();

        _alice.Take().Should().Equal("InvitationUpdate Declined by sip:bob@example.com");
    }

    [Fact]
    public void SendMessage_ByTheInviteeWhilePending_AcceptsThenDelivers()
    {
        var queued = Send(_alice, _bob, "question");
        _bob.Take();

        var reply = Send(_bob, _alice, "answer");

        _bob.Take().Should().Equal("MessageReceived 1 'question' from sip:alice@example.com", $"COMPLETE {reply} SendMessage 100");
        _alice.Take().Should().Equal($"COMPLETE {queued} SendMessage 100", "MessageReceived 2 'answer' from sip:bob@example.com");
        ChatOf(_alice, _bob).State.Should().Be(ChatState.Active);
    }

    [Fact]
    public void SendMessage_MoreWhilePending_QueuesBehindTheInvitationWithoutInvitingAgain()
    {
        Send(_alice, _bob, "one");
        _bob.Take();

        Send(_alice, _bob, "two");

        _bob.Frames.Should().BeEmpty();
        ChatOf(_alice, _bob).Queue.Select(static m => m.Text).Should().Equal("one", "two");
    }

    [Fact]
    public void SendMessage_InAnOpenChat_IsDeliveredAtOnce_AndLoggedUpToTheCapacity()
    {
        Send(_alice, _bob, "one");
        var chat = ChatOf(_alice, _bob);
        Accept(_bob, chat);
        _alice.Take();
        _bob.Take();

        var id = Send(_alice, _bob, "two");
        var three = Send(_bob, _alice, "three");

        _bob.Take().Should().Equal("MessageReceived 2 'two' from sip:alice@example.com", $"COMPLETE {three} SendMessage 100");
        _alice.Take().Should().Equal($"COMPLETE {id} SendMessage 100", "MessageReceived 3 'three' from sip:bob@example.com");
        chat.Delivered().Select(static m => m.Text).Should().Equal("two", "three");
        _chats.WasIssuedTo("3", _alice.Session.User.Key).Should().BeTrue();
        _chats.WasIssuedTo("3", _bob.Session.User.Key).Should().BeFalse("message 3 went to alice");
        _chats.WasIssuedTo("4", _alice.Session.User.Key).Should().BeFalse();
        _chats.WasIssuedTo("0", _alice.Session.User.Key).Should().BeFalse();
        _chats.WasIssuedTo("x", _alice.Session.User.Key).Should().BeFalse();
    }

    [Fact]
    public void SendMessage_InAnOpenChat_ToADeviceThatDropsIt_EndsInMessageUpdateTimeout_NotComplete()
    {
        Send(_alice, _bob, "one");
        Accept(_bob, ChatOf(_alice, _bob));
        _alice.Take();
        _bob.Take();
        _bob.Device.Reply = ReceiptReply.Dropped;

        var id = Send(_alice, _bob, "lost");

        _alice.Take().Should().Equal($"MessageUpdate {id} ack/timeout m-{id} to sip:bob@example.com");
        _bob.Device.Reply = ReceiptReply.Written;
        var next = Send(_alice, _bob, "kept");
        _alice.Take().Should().Equal($"COMPLETE {next} SendMessage 100");
    }

    [Fact]
    public void SendMessage_ToTwoDevices_OneDroppingIt_CompletesOnceTheOtherTookIt()
    {
        Send(_alice, _bob, "one");
        Accept(_bob, ChatOf(_alice, _bob));
        var tablet = SignIn("bob@example.com");
        _alice.Take();
        _bob.Take();
        _bob.Device.Reply = ReceiptReply.Dropped;

        var id = Send(_alice, _bob, "to the tablet");

        _alice.Take().Should().Equal($"COMPLETE {id} SendMessage 100");
        tablet.Take().Should().Equal("MessageReceived 2 'to the tablet' from sip:alice@example.com");
    }

    [Fact]
    public void SendMessage_ToTwoDevices_BothTakingIt_CompletesOnce_BothDroppingIt_FailsOnce()
    {
        Send(_alice, _bob, "one");
        Accept(_bob, ChatOf(_alice, _bob));
        var tablet = SignIn("bob@example.com");
        _alice.Take();
        _bob.Take();

        var taken = Send(_alice, _bob, "both");
        _alice.Take().Should().Equal($"COMPLETE {taken} SendMessage 100");

        (_bob.Device.Reply, tablet.Device.Reply) = (ReceiptReply.Dropped, ReceiptReply.Dropped);
        var lost = Send(_alice, _bob, "neither");
        _alice.Take().Should().Equal($"MessageUpdate {lost} ack/timeout m-{lost} to sip:bob@example.com");
    }

    [Fact]
    public void SendMessage_ToADeviceThatNeverTakesIt_EndsInMessageUpdateTimeoutAtTheDeliveryBound_NotBefore_AndOnce()
    {
        OpenChat(_alice, _bob);
        _bob.Device.Reply = ReceiptReply.Held;
        var id = Send(_alice, _bob, "anyone?");

        _clock.Advance(ChatService.DefaultDeliveryTimeout - TimeSpan.FromTicks(1));
        _alice.Take().Should().BeEmpty("the bound has not passed");
        _clock.Advance(TimeSpan.FromTicks(1));
        _alice.Take().Should().Equal($"MessageUpdate {id} ack/timeout m-{id} to sip:bob@example.com");

        _bob.Device.Held.Single().Written(); // the device's socket took it after all
        _bob.Device.Held.Single().Dropped();
        _clock.Advance(ChatService.DefaultDeliveryTimeout * 2);
        _alice.Take().Should().BeEmpty("a message's SendMessage ends once");
    }

    [Fact]
    public void SendMessage_TakenJustBeforeTheDeliveryBound_CompletesAndNeverTimesOut()
    {
        OpenChat(_alice, _bob);
        _bob.Device.Reply = ReceiptReply.Held;
        var id = Send(_alice, _bob, "just in time", timestamp: 7);

        _clock.Advance(ChatService.DefaultDeliveryTimeout - TimeSpan.FromTicks(1));
        _bob.Device.Held.Single().Written();
        _clock.Advance(ChatService.DefaultDeliveryTimeout);

        _alice.Take().Should().Equal($"COMPLETE {id} SendMessage 7");
    }

    [Fact]
    public void SendMessage_SeveralHeldMessages_EachTimesOutAtItsOwnBound_BehindOnesAlreadyTaken()
    {
        OpenChat(_alice, _bob);
        _bob.Device.Reply = ReceiptReply.Held;
        var first = Send(_alice, _bob, "one", timestamp: 1);
        _clock.Advance(TimeSpan.FromSeconds(5));
        var second = Send(_alice, _bob, "two", timestamp: 2);
        _clock.Advance(TimeSpan.FromSeconds(5));
        var third = Send(_alice, _bob, "three", timestamp: 3);
        _bob.Device.Held[1].Written();

        _clock.Advance(ChatService.DefaultDeliveryTimeout - TimeSpan.FromSeconds(10));
        _alice.Take().Should().Equal($"COMPLETE {second} SendMessage 2", $"MessageUpdate {first} ack/timeout m-{first} to sip:bob@example.com");
        _clock.Advance(TimeSpan.FromSeconds(10) - TimeSpan.FromTicks(1));
        _alice.Take().Should().BeEmpty("the third message's bound is a tick away");
        _clock.Advance(TimeSpan.FromTicks(1));
        _alice.Take().Should().Equal($"MessageUpdate {third} ack/timeout m-{third} to sip:bob@example.com");
    }

    [Fact]
    public void DeliveryTimeout_IsConfigurable()
    {
        var chats = new ChatService(_sessions, _clock, Timeout, deliveryTimeout: TimeSpan.FromSeconds(3));
        OpenChat(_alice, _bob, chats);
        _bob.Device.Reply = ReceiptReply.Held;
        var requester = Request(_alice, out var id);
        chats.SendMessage(_alice.Session, _bob.User, new QueuedMessage(requester, _alice.User, "hi", "m-" + id, 1), new Effects());

        _clock.Advance(TimeSpan.FromSeconds(3) - TimeSpan.FromTicks(1));
        _alice.Take().Should().BeEmpty();
        _clock.Advance(TimeSpan.FromTicks(1));

        _alice.Take().Should().Equal($"MessageUpdate {id} ack/timeout m-{id} to sip:bob@example.com");
    }

    [Fact]
    public void MessageLog_OfZero_KeepsNothing()
    {
        var chats = new ChatService(_sessions, _clock, Timeout, messageLog: 0);
        chats.SendMessage(_alice.Session, _bob.User, new QueuedMessage(Request(_alice, out _), _alice.User, "x", "m", 1), new Effects());
        var chat = chats.Between(_alice.User.Key, _bob.User.Key)!;
        chats.Accept(_bob.Session, chat.Id, Request(_bob, out _), new Effects());

        chat.Delivered().Should().BeEmpty();
    }

    [Fact]
    public void SendMessage_ToAUserWithNoSession_FailsAtOnceAsUnacknowledged()
    {
        var nobody = new DirectoryUser("nobody@example.com", "Nobody", Behavior.None);
        var requester = Request(_alice, out var id);

        _chats.SendMessage(_alice.Session, nobody, new QueuedMessage(requester, _alice.User, "lost", "m-lost", 1), new Effects());

        _alice.Take().Should().Equal($"MessageUpdate {id} ack/timeout m-lost to sip:nobody@example.com");
        _chats.Between(_alice.User.Key, nobody.Key).Should().BeNull();
    }

    [Fact]
    public void SendMessage_PeerSignedOutOfAnOpenChat_FailsAsUnacknowledged()
    {
        Send(_alice, _bob, "one");
        Accept(_bob, ChatOf(_alice, _bob));
        _alice.Take();
        _sessions.Unregister(_bob.Session);

        var id = Send(_alice, _bob, "too late");

        _alice.Take().Should().Equal($"MessageUpdate {id} ack/timeout m-{id} to sip:bob@example.com");
    }

    [Fact]
    public void End_AnOpenChat_TellsThePeerAndForgetsTheChat()
    {
        Send(_alice, _bob, "one");
        var chat = ChatOf(_alice, _bob);
        Accept(_bob, chat);
        _alice.Take();
        _bob.Take();

        _chats.End(_alice.Session, _bob.User, new Effects());

        _bob.Take().Should().Equal("ChatEnded by sip:alice@example.com");
        _alice.Frames.Should().BeEmpty();
        _chats.Find(chat.Id).Should().BeNull();
        _chats.Chats.Should().BeEmpty();
    }

    [Fact]
    public void End_APendingInvitationByTheInvitee_DeclinesIt()
    {
        _chats.StartChat(_alice.Session, _bob.User, Request(_alice, out _), 1, new Effects());
        var queued = Send(_alice, _bob, "queued");
        var chat = ChatOf(_alice, _bob);
        _alice.Take();
        _bob.Take();

        _chats.End(_bob.Session, _alice.User, new Effects());

        _alice.Take().Should().Equal($"MessageUpdate {queued} declined/terminated m-{queued} to sip:bob@example.com",
            "InvitationUpdate Declined by sip:bob@example.com");
        _bob.Frames.Should().BeEmpty();
        chat.State.Should().Be(ChatState.Closed);
    }

    [Fact]
    public void End_APendingInvitationByTheInviter_WithdrawsIt()
    {
        _chats.StartChat(_alice.Session, _bob.User, Request(_alice, out _), 1, new Effects());
        var queued = Send(_alice, _bob, "queued");
        var chat = ChatOf(_alice, _bob);
        var timer = chat.InvitationTimer!;
        _alice.Take();
        _bob.Take();

        _chats.End(_alice.Session, _bob.User, new Effects());

        _alice.Take().Should().Equal($"MessageUpdate {queued} declined/terminated m-{queued} to sip:bob@example.com");
        _bob.Take().Should().Equal("ChatEnded by sip:alice@example.com");
        IsDisposed(timer).Should().BeTrue();
        _chats.End(_alice.Session, _bob.User, new Effects());
        (_alice.Frames.Count + _bob.Frames.Count).Should().Be(0, "there is nothing left to end");
    }

    [Fact]
    public void Typing_ReachesThePeerOfAnOpenChatOnly()
    {
        Send(_alice, _bob, "one");
        var chat = ChatOf(_alice, _bob);
        _bob.Take();
        _chats.Typing(_alice.Session, _bob.User, MethodNames.StartTyping, new Effects());
        _chats.Typing(_alice.Session, _carol.User, MethodNames.StartTyping, new Effects());
        _bob.Frames.Should().BeEmpty("a pending chat has nobody typing yet");
        Accept(_bob, chat);
        _bob.Take();

        _chats.Typing(_alice.Session, _bob.User, MethodNames.StartTyping, new Effects());

        _bob.Take().Should().Equal("StartTyping by sip:alice@example.com");
        _carol.Frames.Should().BeEmpty();
    }

    [Fact]
    public void Clear_ForgetsEveryChatSilently_AndStopsPendingTimers()
    {
        Send(_alice, _bob, "one");
        var pending = ChatOf(_alice, _bob);
        var timer = pending.InvitationTimer!;
        Send(_alice, _carol, "two");
        _bob.Take();
        _carol.Take();

        _chats.Clear();

        _chats.Chats.Should().BeEmpty();
        pending.State.Should().Be(ChatState.Closed);
        IsDisposed(timer).Should().BeTrue();
        _clock.Advance(Timeout);
        (_alice.Frames.Count + _bob.Frames.Count + _carol.Frames.Count).Should().Be(0);
    }

    [Fact]
    public void SendMessage_AfterAChatWasEnded_StartsANewInvitation()
    {
        Send(_alice, _bob, "one");
        var first = ChatOf(_alice, _bob);
        Accept(_bob, first);
        _chats.End(_bob.Session, _alice.User, new Effects());
        _bob.Take();

        Send(_alice, _bob, "again");

        ChatOf(_alice, _bob).Id.Should().NotBe(first.Id);
        _bob.Take().Should().Equal("InvitationReceived from sip:alice@example.com");
    }

    [Fact]
    public void SendMessage_PeerSignedOutOfAnOpenChat_EndsOnceAndAtOnce_WithNothingIssuedOrLogged()
    {
        OpenChat(_alice, _bob);
        _sessions.Unregister(_bob.Session);

        var id = Send(_alice, _bob, "too late");
        _clock.Advance(ChatService.DefaultDeliveryTimeout);

        _alice.Take().Should().Equal($"MessageUpdate {id} ack/timeout m-{id} to sip:bob@example.com");
        _chats.WasIssuedTo("1", _bob.Session.User.Key).Should().BeFalse("a message nobody can receive gets no id");
        ChatOf(_alice, _bob).Delivered().Should().BeEmpty();
    }

    [Fact]
    public void SendMessage_Outcomes_AreCounted_Delivered_TimedOut_Declined()
    {
        var meters = new OneMeter();
        var outcomes = new List<string>();
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, meters.Meter) && instrument.Name == "bems.send_message.outcomes") l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) => outcomes.Add($"{tags[0].Value} {value}"));
        listener.Start();
        var chats = new ChatService(_sessions, _clock, Timeout, metrics: new BemsServer.Diagnostics.BemsMetrics(meters, new BemsServer.Diagnostics.ServerStats(), []));
        OpenChat(_alice, _bob, chats);
        void SendTo(Party to) =>
            chats.SendMessage(_alice.Session, to.User, new QueuedMessage(Request(_alice, out var id), _alice.User, "x", "m-" + id, 1), new Effects());

        SendTo(_bob);
        _bob.Device.Reply = ReceiptReply.Dropped;
        SendTo(_bob);
        SendTo(_carol);
        chats.Decline(_carol.Session, chats.Between(_alice.User.Key, _carol.User.Key)!.Id, Request(_carol, out _), new Effects());

        listener.RecordObservableInstruments();
        outcomes.Should().Equal("delivered 1", "declined 1", "timed_out 1");
        meters.Meter.Dispose();
    }

    /// <summary>A meter factory for one test: the meter it made, to listen to that one only.</summary>
    private sealed class OneMeter : System.Diagnostics.Metrics.IMeterFactory
    {
        public System.Diagnostics.Metrics.Meter Meter { get; private set; } = null!;

        public System.Diagnostics.Metrics.Meter Create(System.Diagnostics.Metrics.MeterOptions options) => Meter = new(options);

        public void Dispose() => Meter.Dispose();
    }
}
