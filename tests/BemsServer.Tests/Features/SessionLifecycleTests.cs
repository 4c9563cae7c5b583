using BemsServer.Dispatch;
using BemsServer.Features.Background;
using BemsServer.Features.Directory;
using BemsServer.Features.Sessions;
using BemsServer.Protocol;
using BemsServer.Protocol.Admin;
using BemsServer.Protocol.Data;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace BemsServer.Tests.Features;

/// <summary>The session registry and a session's park/resume/expire cycle, with sessions that record their frames.</summary>
public sealed class SessionLifecycleTests
{
    private static readonly TimeSpan Parked = TimeSpan.FromSeconds(30);
    private readonly FakeTimeProvider _clock = new();
    private readonly SessionRegistry _registry;
    private readonly List<string> _changes = [];
    private readonly DirectoryUser _me = new("me@example.com", "Me", Behavior.None);

    public SessionLifecycleTests()
    {
        _registry = new SessionRegistry(_clock, Parked);
        _registry.SessionsChanged = (session, _) => _changes.Add($"{session.Id}:{(_registry.IsOnline(session.User.Key) ? "online" : "offline")}");
    }

    /// <summary>What a connection received, one name a frame: the chat id of a ChatEnded (as <see cref="Event"/> names it), else the method.</summary>
    private static List<string> Names(RecordingTarget target) =>
        [.. target.Frames.Select(static f => ((EventFrame)f).Data is ChatEndedData ended ? ended.ChatId : f.Method)];

    private static EventFrame Event(string name) => new(new ChatEndedData(name, "sip:x@example.com"));

    private Session NewSession(string id, DirectoryUser user, IFrameTarget target, bool background = false) =>
        new(id, user, "device-" + id, "2.3", target, _clock.GetUtcNow())
        {
            Background = background ? new BackgroundMode(0, "Default", null, new PushLog("t", new UserDirectory([user]), _clock, NullLogger.Instance)) : null,
        };

    [Fact]
    public void Register_TwoDevicesOfOneUser_BothGetTheUsersFrames_UntilEachLeaves()
    {
        var phone = new RecordingTarget();
        var tablet = new RecordingTarget();
        var first = NewSession("s1", _me, phone);
        var second = NewSession("s2", _me, tablet);

        _registry.Register(first);
        _registry.Register(second);
        foreach (var target in _registry.TargetsOf(_me.Key)) target.Deliver(Event("a"));
        _registry.Unregister(first);
        foreach (var target in _registry.TargetsOf(_me.Key)) target.Deliver(Event("b"));

        Names(phone).Should().Equal("a");
        Names(tablet).Should().Equal("a", "b");
        _registry.Count.Should().Be(1);
        _registry.Register(NewSession("s3", new DirectoryUser("you@example.com", "You", Behavior.None), new RecordingTarget()));
        _registry.Count.Should().Be(2, "sessions of every user count");
        _registry.Unregister(_registry.All.Single(static s => s.Id == "s3"));
        _changes.RemoveAll(static c => c.StartsWith("s3:", StringComparison.Ordinal));
        _registry.All.Should().Equal(second);
        _registry.IsOnline(_me.Key).Should().BeTrue();
        _registry.Unregister(second);
        _registry.IsOnline(_me.Key).Should().BeFalse();
        _registry.TargetsOf(_me.Key).Should().BeEmpty();
        _changes.Should().Equal("s1:online", "s2:online", "s1:online", "s2:offline");
    }

    [Fact]
    public void Unregister_ASessionNotRegistered_ChangesNothing()
    {
        var kept = NewSession("s1", _me, new RecordingTarget());
        _registry.Register(kept);
        _changes.Clear();

        _registry.Unregister(NewSession("s2", _me, new RecordingTarget()));
        _registry.Unregister(NewSession("s3", new DirectoryUser("you@example.com", "You", Behavior.None), new RecordingTarget()));

        _registry.All.Should().Equal(kept);
        _changes.Should().BeEmpty();
    }

    [Fact]
    public void NextSessionId_CountsUpPerRegistry()
    {
        _registry.NextSessionId().Should().Be("sess-1");
        _registry.NextSessionId().Should().Be("sess-2");
        new SessionRegistry(_clock).NextSessionId().Should().Be("sess-1");
    }

    [Fact]
    public void Disconnected_ForegroundSession_SignsOutAtOnce()
    {
        var session = NewSession("s1", _me, new RecordingTarget());
        _registry.Register(session);

        _registry.Disconnected(session);

        _registry.IsOnline(_me.Key).Should().BeFalse();
        session.IsParked.Should().BeFalse();
        _registry.FindParked(session.DeviceToken).Should().BeNull();
    }

    [Fact]
    public void Disconnected_BackgroundSession_IsParked_ItsFramesWait_AndAResumeGetsThemInOrder()
    {
        var first = new RecordingTarget();
        var session = NewSession("s1", _me, first, background: true);
        _registry.Register(session);

        _registry.Disconnected(session);
        session.Deliver(Event("while-away-1"));
        session.Deliver(Event("while-away-2"));

        session.IsParked.Should().BeTrue();
        _registry.IsOnline(_me.Key).Should().BeTrue("a parked session still counts as signed in");
        _registry.FindParked(session.DeviceToken, _me.Key).Should().BeSameAs(session);
        _registry.FindParked(session.DeviceToken, "other@example.com").Should().BeNull();
        _registry.FindParked("another-device").Should().BeNull();
        var second = new RecordingTarget();
        session.TryResume(second).Should().BeTrue();
        session.Deliver(Event("after"));
        Names(second).Should().Equal("while-away-1", "while-away-2", "after");
        first.Frames.Should().BeEmpty();
        session.IsParked.Should().BeFalse();
        _registry.FindParked(session.DeviceToken).Should().BeNull();

        _clock.Advance(Parked);
        _registry.IsOnline(_me.Key).Should().BeTrue("a resumed session no longer expires");
    }

    [Fact]
    public void ParkedSession_ExpiresOnce_DroppingWhatWaited()
    {
        var session = NewSession("s1", _me, new RecordingTarget(), background: true);
        _registry.Register(session);
        _registry.Disconnected(session);
        session.Deliver(Event("lost"));
        _changes.Clear();

        _clock.Advance(Parked);

        _changes.Should().Equal("s1:offline");
        session.TryExpire().Should().BeFalse("it already expired");
        var late = new RecordingTarget();
        session.TryResume(late).Should().BeFalse();
        session.Deliver(Event("dropped"));
        late.Frames.Should().BeEmpty();
    }

    [Fact]
    public void Unregister_AParkedSession_StopsItsWait()
    {
        var session = NewSession("s1", _me, new RecordingTarget(), background: true);
        _registry.Register(session);
        _registry.Disconnected(session);

        _registry.Unregister(session);

        session.IsParked.Should().BeFalse();
        session.TryResume(new RecordingTarget()).Should().BeFalse("an ended session cannot be resumed");
    }

    [Fact]
    public void Park_Again_ReplacesTheEarlierExpiry()
    {
        var session = NewSession("s1", _me, new RecordingTarget(), background: true);
        _registry.Register(session);
        _registry.Disconnected(session);
        _clock.Advance(Parked / 2);
        session.TryResume(new RecordingTarget()).Should().BeTrue();

        _registry.Disconnected(session);
        _clock.Advance(Parked / 2);

        _registry.IsOnline(_me.Key).Should().BeTrue("the second drop waits its own full timeout");
        _clock.Advance(Parked / 2);
        _registry.IsOnline(_me.Key).Should().BeFalse();
    }

    [Fact]
    public void Session_DescribesItselfByIdAndUser() => NewSession("s9", _me, new RecordingTarget()).ToString().Should().Be("s9 (me@example.com)");

    /// <summary>An expiry timer as the registry makes one: it records its firing.</summary>
    private ITimer Expiry(List<string> fired, string name) =>
        _clock.CreateTimer(_ => fired.Add(name), null, Parked, Timeout.InfiniteTimeSpan);

    [Fact]
    public void Park_TwiceWithoutAResume_OnlyTheLatestExpiryRuns()
    {
        var fired = new List<string>();
        var session = NewSession("s1", _me, new RecordingTarget());

        session.Park(Expiry(fired, "first"));
        _clock.Advance(Parked / 2);
        session.Park(Expiry(fired, "second"));
        _clock.Advance(Parked);

        fired.Should().Equal("second");
    }

    [Fact]
    public void TryResume_StopsTheExpiry_AndAnotherParkWaitsAgain()
    {
        var fired = new List<string>();
        var session = NewSession("s1", _me, new RecordingTarget());
        session.Park(Expiry(fired, "first"));

        session.TryResume(new RecordingTarget()).Should().BeTrue();
        _clock.Advance(Parked);

        fired.Should().BeEmpty();
        session.Park();
        session.IsParked.Should().BeTrue();
    }

    [Fact]
    public void TryExpire_AParkedSession_StopsItsExpiry_AndDropsWhatWaited()
    {
        var fired = new List<string>();
        var session = NewSession("s1", _me, new RecordingTarget());
        session.Park(Expiry(fired, "first"));
        session.Deliver(Event("lost"));

        session.TryExpire().Should().BeTrue();
        _clock.Advance(Parked);

        fired.Should().BeEmpty("an expired session's timer is stopped");
        session.IsParked.Should().BeFalse();
        var late = new RecordingTarget();
        session.TryResume(late).Should().BeFalse();
        late.Frames.Should().BeEmpty();
    }

    [Fact]
    public void TryExpire_ASessionStillAttached_ChangesNothing()
    {
        var target = new RecordingTarget();
        var session = NewSession("s1", _me, target);

        session.TryExpire().Should().BeFalse();
        session.Deliver(Event("still-here"));

        Names(target).Should().Equal("still-here");
        session.TryResume(new RecordingTarget()).Should().BeTrue("a session that never expired can be moved");
    }

    [Fact]
    public void Deliver_InBackground_RecordsThePushAfterDelivering_InForegroundRecordsNone()
    {
        var target = new RecordingTarget();
        var session = NewSession("s1", _me, target, background: true);
        var log = session.Background!.Log;
        var message = new EventFrame(new MessageReceivedData("m1", "chat", "sip:you@example.com", "hello", 1));

        session.Deliver(message);
        session.Background = null;
        session.Deliver(message);

        Names(target).Should().Equal(MethodNames.MessageReceived, MethodNames.MessageReceived);
        log.Snapshot().Should().ContainSingle().Which.Should().Match<PushRecord>(static p => p.SessionId == "s1" && p.Event == MethodNames.MessageReceived);
    }

    /// <summary>A connection whose first delivery blocks until released, as a slow writer would.</summary>
    private sealed class BlockingTarget : IFrameTarget
    {
        private int _calls;

        public ManualResetEventSlim Entered { get; } = new();
        public ManualResetEventSlim Release { get; } = new();
        public System.Collections.Concurrent.ConcurrentQueue<string> Frames { get; } = new();

        public void Deliver(OutboundFrame frame)
        {
            Frames.Enqueue(((ChatEndedData)((EventFrame)frame).Data).ChatId);
            if (Interlocked.Increment(ref _calls) != 1) return;
            Entered.Set();
            Release.Wait(TimeSpan.FromSeconds(20));
        }
    }

    [Fact]
    public async Task Deliver_ThatReachedTheBufferWhileItWasBeingForwarded_StillReachesTheNewConnection()
    {
        var session = NewSession("s1", _me, new RecordingTarget());
        session.Park();
        session.Deliver(Event("waited"));
        var target = new BlockingTarget();

        var resume = Task.Run(() => session.TryResume(target));
        target.Entered.Wait(TimeSpan.FromSeconds(20)).Should().BeTrue("the resume is forwarding what waited");
        var late = new Thread(() => session.Deliver(Event("late"))); // reads the session's target: still the buffer
        late.Start();
        SpinWait.SpinUntil(() => (late.ThreadState & ThreadState.WaitSleepJoin) != 0, TimeSpan.FromSeconds(20))
            .Should().BeTrue("the late delivery waits for the buffer the resume holds");
        target.Release.Set();

        (await resume.WaitAsync(TimeSpan.FromSeconds(20))).Should().BeTrue();
        late.Join(TimeSpan.FromSeconds(20)).Should().BeTrue();
        target.Frames.Should().Equal("waited", "late");
    }

    [Fact]
    public void FindParked_ForAResume_MatchesTheCookie_OrTheParameterOnlyForADeviceNamedByParameter()
    {
        var you = new DirectoryUser("you@example.com", "You", Behavior.None);
        var named = new Session("s1", _me, "phone-1", "2.3", new RecordingTarget(), _clock.GetUtcNow());
        var cookied = new Session("s2", _me, "cookie-2", "2.3", new RecordingTarget(), _clock.GetUtcNow()) { DeviceFromCookie = true };
        var attached = new Session("s3", _me, "tablet-3", "2.3", new RecordingTarget(), _clock.GetUtcNow());
        var theirs = new Session("s4", you, "phone-4", "2.3", new RecordingTarget(), _clock.GetUtcNow());
        foreach (var session in new[] { named, cookied, attached, theirs }) _registry.Register(session);
        named.Park();
        cookied.Park();
        theirs.Park();

        _registry.FindParked(_me.Key, "phone-1", null).Should().BeSameAs(named, "the cookie names the device");
        _registry.FindParked(_me.Key, "other-cookie", "phone-1").Should().BeSameAs(named, "BeginSession named this device by parameter");
        _registry.FindParked(_me.Key, "other-cookie", null).Should().BeNull();
        _registry.FindParked(_me.Key, "cookie-2", null).Should().BeSameAs(cookied);
        _registry.FindParked(_me.Key, "other-cookie", "cookie-2").Should().BeNull("a device the server's cookie named is known only by that cookie");
        _registry.FindParked(_me.Key, "tablet-3", "tablet-3").Should().BeNull("that session is not parked");
        _registry.FindParked(_me.Key, "phone-4", "phone-4").Should().BeNull("another user's device");
        _registry.FindParked("nobody@example.com", "phone-1", "phone-1").Should().BeNull();
        _registry.FindParked(you.Key, "phone-4", null).Should().BeSameAs(theirs);
    }
}
