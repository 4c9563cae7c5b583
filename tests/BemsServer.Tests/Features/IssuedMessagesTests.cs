using BemsServer.Features.Chats;

namespace BemsServer.Tests.Features;

/// <summary>The tenant's server message ids and their recipients, which MessageAck checks.</summary>
public sealed class IssuedMessagesTests
{
    [Fact]
    public void Issue_NumbersFromOne_AndOnlyTheRecipientOwnsAnId()
    {
        var issued = new IssuedMessages();

        issued.Issue("bob@example.com").Should().Be("1");
        issued.Issue("alice@example.com").Should().Be("2");

        issued.IsFor("1", "bob@example.com").Should().BeTrue();
        issued.IsFor("1", "alice@example.com").Should().BeFalse("message 1 went to bob");
        issued.IsFor("2", "alice@example.com").Should().BeTrue();
        issued.IsFor("3", "alice@example.com").Should().BeFalse("not issued yet");
        issued.IsFor("0", "bob@example.com").Should().BeFalse();
        issued.IsFor("-1", "bob@example.com").Should().BeFalse();
        issued.IsFor("x", "bob@example.com").Should().BeFalse();
    }

    [Fact]
    public void Issue_PastTheCapacity_KeepsTheNewestIds_ThroughEveryGrowth()
    {
        var issued = new IssuedMessages();
        var total = IssuedMessages.Capacity + 100;
        for (var i = 1; i <= total; i++) issued.Issue(i % 2 == 0 ? "even@example.com" : "odd@example.com");

        issued.IsFor("100", "even@example.com").Should().BeFalse("an id older than the newest Capacity reads as unknown");
        var oldestKept = total - IssuedMessages.Capacity + 1;
        issued.IsFor(oldestKept.ToString(System.Globalization.CultureInfo.InvariantCulture),
            oldestKept % 2 == 0 ? "even@example.com" : "odd@example.com").Should().BeTrue();
        issued.IsFor(total.ToString(System.Globalization.CultureInfo.InvariantCulture), total % 2 == 0 ? "even@example.com" : "odd@example.com")
            .Should().BeTrue();
        for (var i = oldestKept; i <= total; i += 997)
            issued.IsFor(i.ToString(System.Globalization.CultureInfo.InvariantCulture), i % 2 == 0 ? "even@example.com" : "odd@example.com")
                .Should().BeTrue($"id {i} is among the newest");
    }
}
