using BemsServer.Features.Background;
using BemsServer.Features.Directory;
using BemsServer.Features.Presence;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace BemsServer.Tests.Features;

/// <summary>The REST presence subscriptions alone: sequences, changes since, pushes, expiry on the clock, limits.</summary>
public sealed class PresenceSubscriptionsTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 26, 9, 0, 0, TimeSpan.Zero));
    private readonly PushLog _pushes;
    private readonly PresenceSubscriptions _subscriptions;

    public PresenceSubscriptionsTests()
    {
        _pushes = new PushLog("t", new UserDirectory([]), _clock, NullLogger.Instance);
        _subscriptions = new PresenceSubscriptions(_clock, new PresenceOptions { MaxSubscriptionsPerUser = 2, MaxContactsPerSubscription = 10 }, _pushes);
    }

    private static string[] Ids((string Sequence, IReadOnlyList<(string Id, string? Key)> Contacts)? poll) => [.. poll!.Value.Contacts.Select(static c => c.Id)];

    [Fact]
    public void Change_MovesTheSequenceOn_AndAPollSinceAnswersOnlyWhatChanged()
    {
        _subscriptions.Subscribe("alice@example.com", "n1", ["sip:Bob@example.com", "carol@example.com", "bob@example.com"], null, null);

        _subscriptions.OnChanged("bob@example.com");

        var all = _subscriptions.Poll("alice@example.com", "n1", since: null);
        all!.Value.Sequence.Should().Be("2");
        Ids(all).Should().Equal(["sip:Bob@example.com", "carol@example.com"], "one entry per user, as first named");
        Ids(_subscriptions.Poll("alice@example.com", "n1", "1")).Should().Equal("sip:Bob@example.com");
        Ids(_subscriptions.Poll("alice@example.com", "n1", "2")).Should().BeEmpty();
        Ids(_subscriptions.Poll("alice@example.com", "n1", "99")).Should().HaveCount(2, "a sequence never given answers the whole set");
        Ids(_subscriptions.Poll("alice@example.com", "n1", "x")).Should().HaveCount(2);
    }

    [Fact]
    public void Change_PushesToTheSubscribersToken_OnlyWhenItHasOne()
    {
        _subscriptions.Subscribe("alice@example.com", "with", ["bob@example.com"], "gnp-a", "device-a");
        _subscriptions.Subscribe("carol@example.com", "without", ["bob@example.com"], null, null);

        _subscriptions.OnChanged("bob@example.com");
        _subscriptions.OnChanged("dave@example.com");

        var push = _pushes.Snapshot().Should().ContainSingle().Subject;
        push.Should().BeEquivalentTo(new PushRecord(_clock.GetUtcNow(), "sip:alice@example.com", null, "device-a", "gnp-a", "PresenceChanged", "",
            """{"service":"presence","notify":"with","sequence":"2"}""", 0, PushSources.Presence));
    }

    [Fact]
    public void Subscription_ExpiresAfterTheTimeoutSinceItsLastPoll_NotSinceItsStart()
    {
        _subscriptions.Subscribe("alice@example.com", "n1", ["bob@example.com"], null, null);
        _clock.Advance(TimeSpan.FromMinutes(2));
        _subscriptions.Poll("alice@example.com", "n1", null).Should().NotBeNull();

        _clock.Advance(TimeSpan.FromMinutes(2));
        _subscriptions.Poll("alice@example.com", "n1", null).Should().NotBeNull("polled 2 minutes ago");
        _clock.Advance(TimeSpan.FromMinutes(3));

        _subscriptions.Poll("alice@example.com", "n1", null).Should().BeNull();
        _subscriptions.Count.Should().Be(0);
    }

    [Fact]
    public void Limit_PerUser_CountsOnlyLiveSubscriptions_AndReplacingIsNoNewOne()
    {
        _subscriptions.Subscribe("alice@example.com", "n1", ["bob@example.com"], null, null).Should().Be(SubscribeOutcome.Subscribed);
        _subscriptions.Subscribe("alice@example.com", "n2", ["bob@example.com"], null, null).Should().Be(SubscribeOutcome.Subscribed);

        _subscriptions.Subscribe("alice@example.com", "n3", ["bob@example.com"], null, null).Should().Be(SubscribeOutcome.TooMany);
        _subscriptions.Subscribe("alice@example.com", "n2", ["carol@example.com"], null, null).Should().Be(SubscribeOutcome.Subscribed);
        _subscriptions.Subscribe("bob@example.com", "n3", ["alice@example.com"], null, null).Should().Be(SubscribeOutcome.Subscribed, "the limit is per user");
        _subscriptions.Subscribe("alice@example.com", "n1", [], null, null).Should().Be(SubscribeOutcome.Unsubscribed);
        _subscriptions.Subscribe("alice@example.com", "n3", ["bob@example.com"], null, null).Should().Be(SubscribeOutcome.Subscribed);
    }

    [Fact]
    public void Replace_KeepsAKeptContactIndexedThroughout_AndMovesOnlyTheContactsThatLeftOrCame()
    {
        _subscriptions.Subscribe("alice@example.com", "n1", ["bob@example.com", "carol@example.com"], "gnp-a", null);
        var bobs = _subscriptions.Index("bob@example.com");

        _subscriptions.Subscribe("alice@example.com", "n1", ["bob@example.com", "dave@example.com"], "gnp-a", null);

        _subscriptions.Index("bob@example.com").Should().BeSameAs(bobs,
            "bob stayed: his entry was never taken out of the index, so no change of his could fall between an out and an in");
        bobs!.Keys.Should().ContainSingle();
        _subscriptions.Index("carol@example.com").Should().BeNull("carol left");
        _subscriptions.Index("dave@example.com")!.Keys.Should().Equal(bobs.Keys, "dave came");
        _subscriptions.OnChanged("bob@example.com");
        Ids(_subscriptions.Poll("alice@example.com", "n1", "2")).Should().Equal("bob@example.com");
        _pushes.Snapshot().Should().ContainSingle().Which.Text.Should().Be("""{"service":"presence","notify":"n1","sequence":"3"}""");
    }

    [Fact]
    public void EndedSubscription_IsNoLongerToldOfChanges()
    {
        _subscriptions.Subscribe("alice@example.com", "n1", ["bob@example.com"], "gnp-a", null);
        _subscriptions.Subscribe("alice@example.com", "n1", ["carol@example.com"], null, null);

        _subscriptions.OnChanged("bob@example.com");
        _subscriptions.Clear();
        _subscriptions.OnChanged("carol@example.com");

        _pushes.Snapshot().Should().BeEmpty("bob left the subscription, then it ended");
        _subscriptions.Count.Should().Be(0);
    }
}

/// <summary>A token's live followers: bounded per follower, never blocking the push, at most a few per token.</summary>
public sealed class PushChannelsTests
{
    [Fact]
    public void SlowFollower_KeepsTheNewestBacklog_AndAnUnfollowedTokenGetsNothing()
    {
        var channels = new PushChannels();
        using var follower = channels.Follow("t")!;
        var other = channels.Follow("t")!;
        other.Dispose();

        for (var i = 0; i < PushChannels.Backlog + 5; i++) channels.Publish("t", $"p{i}");

        var received = new List<string>();
        while (follower.Pushes.TryRead(out var text)) received.Add(text);
        received.Should().HaveCount(PushChannels.Backlog);
        received[0].Should().Be("p5", "the oldest were dropped");
        other.Pushes.TryRead(out _).Should().BeFalse();
    }

    [Fact]
    public void Follow_BeyondTheLimit_IsRefused_UntilOneLeaves()
    {
        var channels = new PushChannels();
        var followers = Enumerable.Range(0, PushChannels.MaxFollowers).Select(_ => channels.Follow("t")!).ToList();

        channels.Follow("t").Should().BeNull();
        followers[0].Dispose();
        using var again = channels.Follow("t");
        again.Should().NotBeNull();
        foreach (var follower in followers.Skip(1)) follower.Dispose();
    }
}
