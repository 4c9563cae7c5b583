using BemsServer.Control;
using BemsServer.Protocol.Admin;

namespace BemsServer.Tests.Admin;

/// <summary>The per-tenant journal: bounded, oldest first out and counted; wait-for sees the past and the future.</summary>
public sealed class TenantJournalTests
{
    private static JournalEntry Entry(long seq, string method) =>
        new(DateTimeOffset.UnixEpoch, "t", "conn-1", "sess-1", "alice@example.com", "out", "event", method,
            System.Text.Encoding.UTF8.GetBytes($$"""{"id":"S{{seq}}"}""")) { Seq = seq };

    [Fact]
    public void Append_PastCapacity_DropsOldestFirstAndCountsThem()
    {
        var journal = new TenantJournal();

        for (var i = 1; i <= 5; i++) journal.Append(Entry(i, "M" + i), capacity: 3);
        var page = journal.Query(new JournalFilter(), limit: 100);

        page.Entries.Select(static e => e.Seq).Should().Equal(3, 4, 5);
        page.Dropped.Should().Be(2);
        page.LastSeq.Should().Be(5);
    }

    [Fact]
    public void Query_ByMethodUserAndAfter_MatchesEveryGivenField()
    {
        var journal = new TenantJournal();
        for (var i = 1; i <= 4; i++) journal.Append(Entry(i, i % 2 == 0 ? "Even" : "Odd"), capacity: 10);

        var page = journal.Query(new JournalFilter { Method = "Even", User = "sip:ALICE@example.com", After = 2 }, limit: 100);

        page.Entries.Select(static e => e.Seq).Should().Equal(4);
    }

    [Fact]
    public async Task WaitFor_MatchAlreadyRecorded_ReturnsAtOnce()
    {
        var journal = new TenantJournal();
        journal.Append(Entry(1, "Ping"), capacity: 10);

        var found = await journal.WaitForAsync(new JournalFilter { Method = "Ping" }, TimeSpan.FromSeconds(5), CancellationToken.None);

        found!.Seq.Should().Be(1);
    }

    [Fact]
    public async Task WaitFor_MatchArrivingLater_CompletesWithIt()
    {
        var journal = new TenantJournal();
        var waiting = journal.WaitForAsync(new JournalFilter { Method = "Later" }, TimeSpan.FromSeconds(10), CancellationToken.None);
        journal.Append(Entry(1, "Other"), capacity: 10);
        waiting.IsCompleted.Should().BeFalse();

        journal.Append(Entry(2, "Later"), capacity: 10);

        (await waiting.WaitAsync(TimeSpan.FromSeconds(10)))!.Seq.Should().Be(2);
    }

    [Fact]
    public async Task WaitFor_NothingMatches_ReturnsNullAfterTheTimeout()
    {
        var journal = new TenantJournal();

        var found = await journal.WaitForAsync(new JournalFilter { Method = "Never" }, TimeSpan.FromMilliseconds(50), CancellationToken.None);

        found.Should().BeNull();
    }
}
