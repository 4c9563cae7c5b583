using System.Buffers;
using System.Text;
using BemsServer.Control;
using BemsServer.Protocol.Admin;
using Microsoft.Extensions.Options;

namespace BemsServer.Tests.Admin;

/// <summary>The per-tenant journal: bounded, oldest first out and counted; wait-for sees the past and the future.</summary>
public sealed class TenantJournalTests
{
    private static FrameJournal Owner(int capacity = 10, int maxBytes = 1 << 20) =>
        new(Options.Create(new JournalOptions { Capacity = capacity, MaxBytes = maxBytes }), TimeProvider.System, new JournalFeed());

    private static JournalHeader Header(string method) =>
        new(DateTimeOffset.UnixEpoch, "t", "conn-1", "sess-1", "alice@example.com", "out", "event", method);

    private static byte[] Frame(int n) => Encoding.UTF8.GetBytes($$"""{"id":"S{{n}}"}""");

    private static void Record(TenantJournal journal, FrameJournal owner, int n, string method) =>
        journal.Record(owner, Header(method), Frame(n), copy: false);

    [Fact]
    public void Record_PastCapacity_DropsOldestFirstAndCountsThem()
    {
        var journal = new TenantJournal();
        var owner = Owner(capacity: 3);

        for (var i = 1; i <= 5; i++) Record(journal, owner, i, "M" + i);
        var page = journal.Query(new JournalFilter(), limit: 100);

        page.Entries.Select(static e => e.Method).Should().Equal("M3", "M4", "M5");
        page.Entries.Select(static e => e.Frame.GetRawText()).Should().Equal("""{"id":"S3"}""", """{"id":"S4"}""", """{"id":"S5"}""");
        page.Dropped.Should().Be(2);
        page.LastSeq.Should().Be(5);
    }

    [Fact]
    public void Record_PastTheByteBound_DropsOldestUntilTheNewFrameFits()
    {
        var journal = new TenantJournal();
        var owner = Owner(capacity: 1000, maxBytes: 1024);
        var big = new byte[400];
        big.AsSpan().Fill((byte)'x');

        for (var i = 0; i < 3; i++) journal.Record(owner, Header("Big" + i), big, copy: false);
        var page = journal.Query(new JournalFilter(), limit: 100);

        page.Entries.Select(static e => e.Method).Should().Equal("Big1", "Big2");
        page.Dropped.Should().Be(1);
    }

    [Fact]
    public void Record_LargerThanTheWholeRing_IsCountedAndNotKept()
    {
        var journal = new TenantJournal();
        var owner = Owner(maxBytes: 1024);
        Record(journal, owner, 1, "Small");

        journal.Record(owner, Header("Huge"), new byte[1025], copy: false).Should().BeNull();
        var page = journal.Query(new JournalFilter(), limit: 100);

        page.Entries.Select(static e => e.Method).Should().Equal("Small");
        page.Dropped.Should().Be(1);
    }

    [Fact]
    public void Record_ManySegmentsAcrossTheRingsEnd_ReadsBackWhole()
    {
        var journal = new TenantJournal();
        var owner = Owner(capacity: 100, maxBytes: 1024);
        var segments = Segments("{\"id\":\"S", "123", "\",\"method\":\"X\"}");

        // 300 frames of 26 bytes through a 1 KiB ring (39 fit): many of them wrap across its end.
        for (var i = 0; i < 300; i++) journal.Record(owner, Header("Seq"), segments, copy: false);
        var page = journal.Query(new JournalFilter(), limit: 1000);

        page.Entries.Should().HaveCount(39).And.OnlyContain(static e => e.Frame.GetRawText() == """{"id":"S123","method":"X"}""");
        page.Dropped.Should().Be(261);
    }

    [Fact]
    public void Record_GrowingWhileWrapped_KeepsTheFramesWhole()
    {
        var journal = new TenantJournal();
        var owner = Owner(capacity: 2, maxBytes: 64 * 1024);
        byte[] Filled(int length, char c) => Encoding.UTF8.GetBytes("\"" + new string(c, length - 2) + "\"");

        // The ring starts at 16 KiB: the third 6,000-byte frame wraps across its end, then the 12,000-byte one makes it grow.
        journal.Record(owner, Header("A"), Filled(6000, 'a'), copy: false);
        journal.Record(owner, Header("B"), Filled(6000, 'b'), copy: false);
        journal.Record(owner, Header("C"), Filled(6000, 'c'), copy: false);
        journal.Record(owner, Header("D"), Filled(12000, 'd'), copy: false);
        var page = journal.Query(new JournalFilter(), limit: 100);

        page.Entries.Select(static e => e.Frame.GetString()).Should().Equal(new string('c', 5998), new string('d', 11998));
    }

    [Fact]
    public void Record_AskedForACopy_ReturnsTheEntry()
    {
        var journal = new TenantJournal();

        var entry = journal.Record(Owner(), Header("Ping"), Frame(7), copy: true);

        entry!.Method.Should().Be("Ping");
        entry.Id.Should().Be("S7");
    }

    [Fact]
    public void Query_ByMethodUserAndAfter_MatchesEveryGivenField()
    {
        var journal = new TenantJournal();
        var owner = Owner();
        for (var i = 1; i <= 4; i++) Record(journal, owner, i, i % 2 == 0 ? "Even" : "Odd");

        var page = journal.Query(new JournalFilter { Method = "Even", User = "sip:ALICE@example.com", After = 2 }, limit: 100);

        page.Entries.Select(static e => e.Seq).Should().Equal(4);
    }

    [Fact]
    public void Clear_ForgetsFramesAndDropsButKeepsNumbering()
    {
        var journal = new TenantJournal();
        var owner = Owner(capacity: 1);
        Record(journal, owner, 1, "A");
        Record(journal, owner, 2, "B");

        journal.Clear();
        Record(journal, owner, 3, "C");
        var page = journal.Query(new JournalFilter(), limit: 100);

        page.Entries.Select(static e => (e.Seq, e.Method)).Should().Equal((3L, "C"));
        page.Dropped.Should().Be(0);
    }

    [Fact]
    public async Task WaitFor_MatchAlreadyRecorded_ReturnsAtOnce()
    {
        var journal = new TenantJournal();
        Record(journal, Owner(), 1, "Ping");

        var found = await journal.WaitForAsync(new JournalFilter { Method = "Ping" }, TimeSpan.FromSeconds(5), CancellationToken.None);

        found!.Seq.Should().Be(1);
    }

    [Fact]
    public async Task WaitFor_MatchArrivingLater_CompletesWithIt()
    {
        var journal = new TenantJournal();
        var owner = Owner();
        var waiting = journal.WaitForAsync(new JournalFilter { Method = "Later" }, TimeSpan.FromSeconds(10), CancellationToken.None);
        Record(journal, owner, 1, "Other");
        waiting.IsCompleted.Should().BeFalse();

        Record(journal, owner, 2, "Later");

        (await waiting.WaitAsync(TimeSpan.FromSeconds(10)))!.Seq.Should().Be(2);
    }

    [Fact]
    public async Task WaitFor_NothingMatches_ReturnsNullAfterTheTimeout()
    {
        var journal = new TenantJournal();

        var found = await journal.WaitForAsync(new JournalFilter { Method = "Never" }, TimeSpan.FromMilliseconds(50), CancellationToken.None);

        found.Should().BeNull();
    }

    private static ReadOnlySequence<byte> Segments(params string[] parts)
    {
        Segment? first = null, last = null;
        foreach (var part in parts)
        {
            var next = new Segment(Encoding.UTF8.GetBytes(part), last);
            first ??= next;
            last = next;
        }
        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(byte[] bytes, Segment? previous)
        {
            Memory = bytes;
            if (previous is null) return;
            RunningIndex = previous.RunningIndex + previous.Memory.Length;
            previous.Next = this;
        }
    }
}
