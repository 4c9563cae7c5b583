using System.Text;
using BemsServer.Diagnostics;

namespace BemsServer.Tests.Diagnostics;

/// <summary>
/// The ring under the frame journal and the chat message logs keeps the newest records that fit both bounds, each with
/// its header and byte for byte, while it grows and wraps.
/// </summary>
public sealed class ByteRingTests
{
    private readonly record struct Header(long Seq, string Tag);

    [Theory]
    [InlineData(8, 1 << 20, 1)]
    [InlineData(1000, 64 * 1024, 2)]
    [InlineData(50, 20 * 1024, 3)]
    public void RandomFrames_TheRingHoldsExactlyTheNewestThatFit_ByteForByte(int maxFrames, int maxBytes, int seed)
    {
        var ring = new ByteRing<Header>(maxFrames, maxBytes);
        var model = new List<(long Seq, byte[] Bytes)>();
        var random = new Random(seed);
        for (var seq = 1L; seq <= 3000; seq++)
        {
            // Mostly small frames, now and then a large one that makes the bytes grow or evicts many.
            var length = random.Next(10) == 0 ? random.Next(2000, 9000) : random.Next(0, 400);
            var bytes = Encoding.UTF8.GetBytes(new string((char)('a' + (seq % 26)), length) + seq);
            var at = ring.Add(seq, new Header(seq, "t" + (seq % 7)), bytes.Length);
            at.Should().BeGreaterThanOrEqualTo(0);
            ring.Write(at, bytes.AsSpan(0, bytes.Length / 2)); // in two pieces, as a frame written segment by segment
            ring.Write(at + bytes.Length / 2, bytes.AsSpan(bytes.Length / 2));

            model.Add((seq, bytes));
            while (model.Count > maxFrames || model.Sum(m => (long)m.Bytes.Length) > maxBytes) model.RemoveAt(0);

            if (seq % 97 == 0 || seq == 3000) Check(ring, model);
        }
        ring.Dropped.Should().Be(3000 - model.Count);
    }

    [Fact]
    public void FrameLargerThanTheRing_IsDropped_AndTheRestKept()
    {
        var ring = new ByteRing<Header>(10, 100);
        ring.Write(ring.Add(1, new Header(1, "kept"), 3), "abc"u8);

        ring.Add(2, new Header(2, "too large"), 101).Should().Be(-1);

        ring.Count.Should().Be(1);
        ring.Dropped.Should().Be(1);
        ring.HeaderAt(0).Should().Be(new Header(1, "kept"));
        ring.BytesAt(0).Should().Equal("abc"u8.ToArray());
    }

    private static void Check(ByteRing<Header> ring, List<(long Seq, byte[] Bytes)> model)
    {
        ring.Count.Should().Be(model.Count);
        for (var i = 0; i < model.Count; i++)
        {
            ring.SeqAt(i).Should().Be(model[i].Seq);
            ring.HeaderAt(i).Should().Be(new Header(model[i].Seq, "t" + (model[i].Seq % 7)), "record {0} keeps its header", model[i].Seq);
            Encoding.UTF8.GetString(ring.BytesAt(i)).Should().Be(Encoding.UTF8.GetString(model[i].Bytes), "record {0} comes back as written", model[i].Seq);
        }
    }
}
