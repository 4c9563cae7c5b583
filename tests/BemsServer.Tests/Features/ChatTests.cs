using BemsServer.Dispatch;
using BemsServer.Features.Chats;
using BemsServer.Features.Directory;
using BemsServer.Protocol;
using BemsServer.Protocol.Admin;
using Microsoft.Extensions.Time.Testing;

namespace BemsServer.Tests.Features;

/// <summary>A chat's own transitions, without the service: what each changes, and the timer and queue each leaves behind.</summary>
public sealed class ChatTests
{
    private readonly FakeTimeProvider _clock = new();
    private readonly DirectoryUser _alice = new("alice@example.com", "Alice", Behavior.None);
    private readonly DirectoryUser _bob = new("bob@example.com", "Bob", Behavior.None);
    private readonly Chat _chat;

    public ChatTests() => _chat = new Chat("c1", _alice, _bob);

    private QueuedMessage Message(string text) =>
        new(new Requester(new Sink(), new RequestId(text)), _alice, text, "m-" + text, 1);

    private ITimer Timer() => _clock.CreateTimer(static _ => { }, null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);

    private static bool IsDisposed(ITimer timer) => !timer.Change(TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);

    private sealed class Sink : IFrameTarget
    {
        public void Deliver(OutboundFrame frame)
        {
        }
    }

    [Fact]
    public void New_IsAPendingInvitationToTheInvitee_WithNothingQueuedAndNobodyToNotify()
    {
        _chat.State.Should().Be(ChatState.Pending);
        _chat.Queue.Should().BeEmpty();
        _chat.InvitationTimer.Should().BeNull();
        _chat.NotifyInviter.Should().BeFalse();
        _chat.Invites(_bob).Should().BeTrue();
        _chat.Invites(_alice).Should().BeFalse("the inviter does not answer its own invitation");
        _chat.Other(_alice).Should().BeSameAs(_bob);
        _chat.Other(_bob).Should().BeSameAs(_alice);
    }

    [Fact]
    public void RingEnqueueJoin_KeepTheTimerTheMessagesInOrderAndTheInvitersInterest()
    {
        var timer = Timer();

        _chat.Ring(timer);
        _chat.Enqueue(Message("one"));
        _chat.Enqueue(Message("two"));
        _chat.Join();

        _chat.InvitationTimer.Should().BeSameAs(timer);
        _chat.Queue.Select(static m => m.Text).Should().Equal("one", "two");
        _chat.NotifyInviter.Should().BeTrue();
        _chat.State.Should().Be(ChatState.Pending);
    }

    [Fact]
    public void Open_MakesItActive_StopsTheTimer_AndHandsOverTheQueueOnce()
    {
        var timer = Timer();
        _chat.Ring(timer);
        _chat.Enqueue(Message("one"));
        _chat.Enqueue(Message("two"));

        _chat.Open().Select(static m => m.Text).Should().Equal("one", "two");

        _chat.State.Should().Be(ChatState.Active);
        _chat.Invites(_bob).Should().BeFalse("an open chat is no longer an invitation");
        _chat.Queue.Should().BeEmpty();
        _chat.InvitationTimer.Should().BeNull();
        IsDisposed(timer).Should().BeTrue();
        _chat.Open().Should().BeEmpty();
    }

    [Fact]
    public void Close_MakesItClosed_StopsTheTimer_AndHandsOverWhatWasStillQueued()
    {
        var timer = Timer();
        _chat.Ring(timer);
        _chat.Enqueue(Message("one"));

        _chat.Close().Select(static m => m.Text).Should().Equal("one");

        _chat.State.Should().Be(ChatState.Closed);
        _chat.Invites(_bob).Should().BeFalse();
        _chat.Queue.Should().BeEmpty();
        _chat.InvitationTimer.Should().BeNull();
        IsDisposed(timer).Should().BeTrue();
        _chat.Close().Should().BeEmpty();
    }

    [Fact]
    public void Close_WithoutATimer_OrAfterOpen_HasNothingToStop()
    {
        _chat.Close().Should().BeEmpty();
        _chat.State.Should().Be(ChatState.Closed);

        var open = new Chat("c2", _alice, _bob);
        open.Open();
        open.Close().Should().BeEmpty();
        open.State.Should().Be(ChatState.Closed);
    }

    [Fact]
    public void Log_KeepsTheNewestUpToTheCapacity_AndNothingAtZero()
    {
        for (var i = 1; i <= 3; i++) _chat.Log(i, _alice, "t", "m", i, 2);
        _chat.Log(9, _alice, "t", "m", 9, 0);

        _chat.Delivered().Select(static m => m.Id).Should().Equal("2", "3");
    }

    [Fact]
    public void Log_GivesBackEachMessageAsDelivered()
    {
        _chat.Log(41, _alice, "héllo 👋 \"quoted\"", "cm-1", 1_700_000_000_000, 200);
        _chat.Log(42, _bob, "", "", 1_700_000_000_001, 200);

        _chat.Delivered().Should().Equal(
            new DeliveredMessage("41", _alice, "héllo 👋 \"quoted\"", "cm-1", 1_700_000_000_000),
            new DeliveredMessage("42", _bob, "", "", 1_700_000_000_001));
    }

    [Fact]
    public void Log_HoldsAtMostMaxBytesOfText_TheNewestFirstKept()
    {
        var large = new string('x', 60 * 1024); // near the largest message a client may send
        for (var i = 1; i <= 10; i++) _chat.Log(i, _alice, large + i, "cm-" + i, i, 200);

        var kept = _chat.Delivered();
        kept.Sum(static m => m.Text.Length + m.ClientMessageId.Length).Should().BeLessThanOrEqualTo(MessageLog.MaxBytes);
        kept.Select(static m => m.Id).Should().Equal("7", "8", "9", "10");
        kept[^1].Text.Should().Be(large + 10);
    }

    [Fact]
    public void ChatPair_IsTheSameWhicheverUserComesFirst()
    {
        ChatPair.Of("b", "a").Should().Be(ChatPair.Of("a", "b"));
        ChatPair.Of("a", "b").Should().Be(new ChatPair("a", "b"));
    }
}
