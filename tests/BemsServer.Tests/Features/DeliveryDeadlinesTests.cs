using BemsServer.Features.Chats;

namespace BemsServer.Tests.Features;

/// <summary>The tenant's one queue and one timer that end delivered messages no device took within the bound.</summary>
public sealed class DeliveryDeadlinesTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);
    private readonly CountingClock _clock = new();
    private readonly DeliveryDeadlines _deadlines;

    public DeliveryDeadlinesTests() => _deadlines = new DeliveryDeadlines(_clock, Bound);

    private sealed class Message(string name, List<string> log) : IDeliveryDeadline
    {
        public bool HasEnded { get; set; }

        public void TimedOut()
        {
            HasEnded = true;
            log.Add(name);
        }
    }

    private readonly List<string> _timedOut = [];

    private Message Add(string name)
    {
        var message = new Message(name, _timedOut);
        _deadlines.Add(message);
        return message;
    }

    [Fact]
    public void MessagesHandedOverTogether_AllTimeOutAtTheirBound_InOrder()
    {
        Add("a");
        Add("b");
        Add("c");

        _clock.Advance(Bound - TimeSpan.FromTicks(1));
        _timedOut.Should().BeEmpty();
        _clock.Advance(TimeSpan.FromTicks(1));

        _timedOut.Should().Equal("a", "b", "c");
        _deadlines.Count.Should().Be(0);
    }

    [Fact]
    public void AMessageAddedAfterTheQueueEmptied_StillTimesOut_AtItsOwnBound_WithTheSameTimer()
    {
        Add("first");
        _clock.Advance(Bound);
        _timedOut.Should().Equal("first");

        _clock.Advance(TimeSpan.FromMinutes(5));
        Add("later");
        _clock.Advance(Bound - TimeSpan.FromTicks(1));
        _timedOut.Should().Equal("first");
        _clock.Advance(TimeSpan.FromTicks(1));

        _timedOut.Should().Equal("first", "later");
        _clock.TimersCreated.Should().Be(1, "the tenant's one timer is armed again, not made again");
    }

    [Fact]
    public void EndedMessages_NeverTimeOut_AndLeaveTheHeadAsNewOnesCome()
    {
        var taken = Add("taken");
        var alsoTaken = Add("also taken");
        taken.HasEnded = true;
        alsoTaken.HasEnded = true;

        Add("waiting");

        _deadlines.Count.Should().Be(1, "the ended messages at the head left when a new one came");
        _clock.Advance(Bound);
        _timedOut.Should().Equal("waiting");
    }

    [Fact]
    public void AnEndedMessageAtTheHead_DoesNotHoldBackTheOnesBehindIt()
    {
        var first = Add("first");
        _clock.Advance(TimeSpan.FromSeconds(5));
        Add("second");
        first.HasEnded = true;

        _clock.Advance(Bound - TimeSpan.FromSeconds(5)); // the first's bound: it ended, the second waits 5 s more
        _timedOut.Should().BeEmpty();
        _clock.Advance(TimeSpan.FromSeconds(5));

        _timedOut.Should().Equal("second");
    }
}
