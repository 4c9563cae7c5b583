using BemsServer.Features.Chats;

namespace BemsServer.Tests.Features;

/// <summary>The tenant's server message ids and their recipients, which MessageAck checks.</summary>
public sealed class IssuedMessagesTests
{
    [Fact]
    public void Issue_NumbersFromOne_AndOnlyTheRecipientOwnsAnId()
    {
        var issued = new IssuedMessages();

        issued.Issue("bob@example.com").Should().Be(1);
        issued.Issue("alice@example.com").Should().Be(2);

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
        // Each id goes to a user of its own, so an id filed in the wrong slot by a growth reads as someone else's.
        static string Id(int i) => i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        static string Recipient(int i) => $"u{i}@example.com";
        var issued = new IssuedMessages();
        var total = IssuedMessages.Capacity + 100;
        for (var i = 1; i <= total; i++) issued.Issue(Recipient(i));

        var oldestKept = total - IssuedMessages.Capacity + 1;
        issued.IsFor(Id(oldestKept - 1), Recipient(oldestKept - 1)).Should().BeFalse("an id older than the newest Capacity reads as unknown");
        var wrong = Enumerable.Range(oldestKept, IssuedMessages.Capacity).Where(i => !issued.IsFor(Id(i), Recipient(i))).ToList();
        wrong.Should().BeEmpty("every one of the newest Capacity ids is remembered with its own recipient");
    }
}
