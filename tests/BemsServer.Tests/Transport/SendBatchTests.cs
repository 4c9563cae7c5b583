using System.Buffers;
using System.Net.WebSockets;
using System.Threading.Channels;
using BemsServer.Dispatch;
using BemsServer.Protocol;
using BemsServer.Protocol.Data;
using BemsServer.Transport;

namespace BemsServer.Tests.Transport;

/// <summary>Frames queued together leave in one write of the socket's stream; a lone frame leaves at once.</summary>
public sealed class SendBatchTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Outbox_FramesQueuedTogether_LeaveInOneStreamWriteAsEachItsOwnMessage()
    {
        var wire = new RecordingStream();
        var (outbox, writing, stop) = Start(wire, outbox =>
        {
            outbox.Send(Ping("c1", Wire.Processing));
            outbox.Send(Ping("c1", Wire.Complete));
            outbox.Send(Ping("c2", Wire.Processing));
        });

        var written = await wire.Writes.Reader.ReadAsync().AsTask().WaitAsync(Bound);

        Messages(written).Should().HaveCount(3, "three WebSocket messages in one write");
        wire.Writes.Reader.TryRead(out _).Should().BeFalse("nothing else was written");
        await stop.CancelAsync();
        await writing.WaitAsync(Bound).ContinueWith(static _ => { }, TaskScheduler.Default);
    }

    [Fact]
    public async Task Outbox_LoneFrame_IsWrittenWithoutWaitingForMore()
    {
        var wire = new RecordingStream();
        var (outbox, writing, stop) = Start(wire);

        outbox.Send(Ping("c1", Wire.Processing));

        Messages(await wire.Writes.Reader.ReadAsync().AsTask().WaitAsync(Bound)).Should().ContainSingle();
        outbox.Send(Ping("c2", Wire.Processing));
        Messages(await wire.Writes.Reader.ReadAsync().AsTask().WaitAsync(Bound)).Should().ContainSingle();
        await stop.CancelAsync();
        await writing.WaitAsync(Bound).ContinueWith(static _ => { }, TaskScheduler.Default);
    }

    [Fact]
    public async Task Deferral_TheCompleteARecipientsWriteCauses_LeavesWithTheSendersProcessing_InOneWrite()
    {
        var aliceWire = new RecordingStream();
        var bobWire = new RecordingStream();
        var (alice, aliceWriting, aliceStop) = Start(aliceWire);
        var (bob, bobWriting, bobStop) = Start(bobWire);

        using (Deferral.Begin())
        {
            // A SendMessage: the sender's PROCESSING, then the message, whose write to the recipient queues the COMPLETE.
            alice.Send(Ping("c1", Wire.Processing));
            bob.Send(new EventFrame(new MessageReceivedData("1", "chat", "sip:alice@example.com", "hi", 1))
            {
                Receipt = new SendsOnWritten(() => alice.Send(Ping("c1", Wire.Complete))),
            });
        }

        (await bobWire.Writes.Reader.ReadAsync().AsTask().WaitAsync(Bound)).Should().NotBeEmpty("the message reached the recipient");
        var written = Messages(await aliceWire.Writes.Reader.ReadAsync().AsTask().WaitAsync(Bound));
        written.Select(static m => System.Text.Encoding.UTF8.GetString(m)).Should().SatisfyRespectively(
            processing => processing.Should().Contain(Wire.Processing),
            complete => complete.Should().Contain(Wire.Complete));
        aliceWire.Writes.Reader.TryRead(out _).Should().BeFalse("PROCESSING and COMPLETE left in one write");
        await aliceStop.CancelAsync();
        await bobStop.CancelAsync();
        await Task.WhenAll(aliceWriting, bobWriting).WaitAsync(Bound).ContinueWith(static _ => { }, TaskScheduler.Default);
    }

    [Fact]
    public async Task SendBatch_OutsideABatch_WritesStraightThrough()
    {
        var wire = new RecordingStream();
        await using var batch = new SendBatch(wire);

        await batch.WriteAsync(new byte[] { 1, 2 });

        wire.Writes.Reader.TryRead(out var written).Should().BeTrue();
        written.Should().Equal(1, 2);
    }

    [Fact]
    public async Task SendBatch_InABatch_ACloseFrameLeavesAtOnce_AfterWhatWasGathered()
    {
        var wire = new RecordingStream();
        await using var batch = new SendBatch(wire);
        batch.Begin(CancellationToken.None);

        await batch.WriteAsync(new byte[] { 0x81, 0x01, (byte)'x' }); // a text frame: gathered
        wire.Writes.Reader.TryRead(out _).Should().BeFalse();
        await batch.WriteAsync(new byte[] { 0x88, 0x02, 0x03, 0xEF }); // the WebSocket's close (1007): not held back

        wire.Writes.Reader.TryRead(out var gathered).Should().BeTrue();
        gathered.Should().Equal(0x81, 0x01, (byte)'x');
        wire.Writes.Reader.TryRead(out var close).Should().BeTrue();
        close.Should().Equal(0x88, 0x02, 0x03, 0xEF);
    }

    [Fact]
    public async Task SendBatch_PastItsSizeBound_WritesWhatItGathered()
    {
        var wire = new RecordingStream();
        await using var batch = new SendBatch(wire);
        batch.Begin(CancellationToken.None);

        await batch.WriteAsync(new byte[SendBatch.MaxBytes - 1]);
        wire.Writes.Reader.TryRead(out _).Should().BeFalse();
        await batch.WriteAsync(new byte[2]);

        wire.Writes.Reader.TryRead(out var written).Should().BeTrue();
        written.Should().HaveCount(SendBatch.MaxBytes + 1);
    }

    [Fact]
    public async Task SendBatch_AWriteGivenNoToken_IsCancelledByTheBatchsToken()
    {
        var wire = new RecordingStream { Holds = true };
        await using var batch = new SendBatch(wire);
        using var connection = new CancellationTokenSource();
        batch.Begin(connection.Token);

        var write = batch.WriteAsync(new byte[SendBatch.MaxBytes + 1], CancellationToken.None).AsTask(); // past the bound: written at once, and held
        write.IsCompleted.Should().BeFalse();
        await connection.CancelAsync();

        await write.Invoking(static w => w.WaitAsync(Bound)).Should().ThrowAsync<OperationCanceledException>(
            "the connection's end cancels a batch's write even when the WebSocket gave it no token");
    }

    /// <summary>Starts an outbox writing to the stream, after queuing what <paramref name="queued"/> delivers.</summary>
    private static (Outbox Outbox, Task Writing, CancellationTokenSource Stop) Start(RecordingStream wire, Action<Outbox>? queued = null)
    {
        var batch = new SendBatch(wire);
        var socket = WebSocket.CreateFromStream(batch, new WebSocketCreationOptions { IsServer = true });
        var outbox = new Outbox(socket, batch, new OutboxLimits(1000, long.MaxValue, TimeSpan.FromSeconds(30)), static _ => { });
        queued?.Invoke(outbox);
        var stop = new CancellationTokenSource();
        return (outbox, outbox.RunAsync(new TestEncoder(), stop.Token), stop);
    }

    private static ResponseFrame Ping(string id, string state) => new(new RequestId(id), new MethodData(MethodNames.Ping) { State = state }, false);

    /// <summary>Splits server-to-client WebSocket frames (unmasked, FIN set, payload under 126 bytes) into their payloads.</summary>
    private static List<byte[]> Messages(byte[] written)
    {
        var messages = new List<byte[]>();
        for (var at = 0; at < written.Length;)
        {
            written[at].Should().Be(0x81, "a final text frame");
            var length = written[at + 1];
            length.Should().BeLessThan(126);
            messages.Add(written.AsSpan(at + 2, length).ToArray());
            at += 2 + length;
        }
        return messages;
    }

    /// <summary>A stream that records each write and never has anything to read.</summary>
    private sealed class RecordingStream : Stream
    {
        public Channel<byte[]> Writes { get; } = Channel.CreateUnbounded<byte[]>();

        /// <summary>Each write waits until its token is cancelled (a client that stopped reading).</summary>
        public bool Holds { get; init; }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (Holds) await Task.Delay(Timeout.Infinite, cancellationToken);
            Writes.Writer.TryWrite(buffer.ToArray());
        }

        public override void Write(byte[] buffer, int offset, int count) => Writes.Writer.TryWrite(buffer.AsSpan(offset, count).ToArray());
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return 0;
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override void Flush() { }
        public override bool CanRead => true;
        public override bool CanWrite => true;
        public override bool CanSeek => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
