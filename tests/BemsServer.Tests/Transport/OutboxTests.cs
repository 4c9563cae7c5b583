using System.Buffers;
using System.Diagnostics.Metrics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using BemsServer.Diagnostics;
using BemsServer.Dispatch;
using BemsServer.Features.Sessions;
using BemsServer.Protocol;
using BemsServer.Protocol.Data;
using BemsServer.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using System.Text.Json;

namespace BemsServer.Tests.Transport;

/// <summary>The outbox, the socket's only writer, against a socket that records each message it is asked to send.</summary>
public sealed class OutboxTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    /// <summary>A WebSocket that only records what is sent (text and whether it was one whole message).</summary>
    private sealed class RecordingSocket : WebSocket
    {
        public Channel<(string Text, WebSocketMessageType Type, bool EndOfMessage)> Sent { get; } =
            Channel.CreateUnbounded<(string, WebSocketMessageType, bool)>();

        public override WebSocketCloseStatus? CloseStatus => null;
        public override string? CloseStatusDescription => null;
        public override WebSocketState State => WebSocketState.Open;
        public override string? SubProtocol => null;

        /// <summary>Every send fails, as on a connection that dropped.</summary>
        public bool Fails { get; set; }

        /// <summary>Each send waits until the test completes it (from <see cref="Held"/>), as on a socket whose peer stopped reading.</summary>
        public bool Holds { get; set; }

        public Channel<TaskCompletionSource> Held { get; } = Channel.CreateUnbounded<TaskCompletionSource>();

        /// <summary>The thread each send ran on.</summary>
        public List<int> SendThreads { get; } = [];

        public string[] SentNow()
        {
            var sent = new List<string>();
            while (Sent.Reader.TryRead(out var message)) sent.Add(JsonNode.Parse(message.Text)!["id"]!.GetValue<string>());
            return [.. sent];
        }

        public override Task SendAsync(ArraySegment<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken)
        {
            if (Fails) throw new WebSocketException(WebSocketError.ConnectionClosedPrematurely);
            lock (SendThreads) SendThreads.Add(Environment.CurrentManagedThreadId);
            Sent.Writer.TryWrite((Encoding.UTF8.GetString(buffer), messageType, endOfMessage));
            if (!Holds) return Task.CompletedTask;
            var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Held.Writer.TryWrite(held);
            return held.Task;
        }

        public override void Abort()
        {
        }

        public override Task CloseAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) => Task.CompletedTask;
        public override Task CloseOutputAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) => Task.CompletedTask;
        public override Task<WebSocketReceiveResult> ReceiveAsync(ArraySegment<byte> buffer, CancellationToken cancellationToken) => throw new NotSupportedException();

        public override void Dispose()
        {
        }

        public async Task<JsonObject> NextAsync()
        {
            var (text, type, end) = await Sent.Reader.ReadAsync().AsTask().WaitAsync(Bound);
            type.Should().Be(WebSocketMessageType.Text);
            end.Should().BeTrue("each frame is one whole message");
            return JsonNode.Parse(text)!.AsObject();
        }
    }

    private static readonly TimeSpan Stall = TimeSpan.FromSeconds(30);

    private readonly RecordingSocket _socket = new();
    private readonly TestEncoder _encoder = new(1_000);
    private readonly CountingClock _clock = new();
    private readonly List<SlowConsumer> _cuts = [];
    private int _overflows;

    private Outbox NewOutbox(int maxQueued = 16, long maxBytes = long.MaxValue, BemsMetrics? metrics = null) =>
        new(_socket, batch: null, new OutboxLimits(maxQueued, maxBytes, Stall), reason =>
        {
            Interlocked.Increment(ref _overflows);
            lock (_cuts) _cuts.Add(reason);
        }, _clock, metrics);

    private static ResponseFrame Response(string id) => new(new RequestId(id), new MethodData("Ping") { State = "PROCESSING" }, false);

    [Fact]
    public async Task Frames_AreWrittenInTheOrderDelivered_NumberedAsWritten()
    {
        var outbox = NewOutbox();
        outbox.Send(Response("c1"));
        outbox.Send(new EventFrame(new ChatEndedData("chat", "sip:a@example.com")));
        outbox.Send(new EventFrame(new ChatEndedData("chat", "sip:b@example.com")));
        outbox.Complete();

        await outbox.RunAsync(_encoder, CancellationToken.None).WaitAsync(Bound);

        (await _socket.NextAsync())["id"]!.GetValue<string>().Should().Be("c1");
        var first = await _socket.NextAsync();
        var second = await _socket.NextAsync();
        first["id"]!.GetValue<string>().Should().Be("S1");
        second["id"]!.GetValue<string>().Should().Be("S2");
        second["sequence"]!.GetValue<long>().Should().Be(first["sequence"]!.GetValue<long>() + 1);
        _socket.Sent.Reader.TryRead(out _).Should().BeFalse();
    }

    [Fact]
    public async Task Complete_RefusesLaterFrames_ButWritesThoseAlreadyQueued()
    {
        var outbox = NewOutbox();
        outbox.Send(Response("c1"));
        outbox.Complete();
        outbox.Send(Response("c2"));

        await outbox.RunAsync(_encoder, CancellationToken.None).WaitAsync(Bound);

        (await _socket.NextAsync())["id"]!.GetValue<string>().Should().Be("c1");
        _socket.Sent.Reader.TryRead(out _).Should().BeFalse();
    }

    [Fact]
    public async Task MoreFramesThanTheLimitWaiting_CutsTheClientOffOnce_AndWritesNothingMore()
    {
        var outbox = NewOutbox(maxQueued: 2);

        outbox.Send(Response("c1"));
        outbox.Send(Response("c2"));
        _overflows.Should().Be(0);
        outbox.Send(Response("c3"));
        outbox.Send(Response("c4"));

        _overflows.Should().Be(1, "the client is cut off once");
        outbox.IsCut.Should().BeTrue();
        await outbox.RunAsync(_encoder, CancellationToken.None).WaitAsync(Bound);
        _socket.Sent.Reader.TryRead(out _).Should().BeFalse("a cut-off client is written nothing more");
    }

    [Fact]
    public void FramesRefusedAfterComplete_DoNotCountTowardsTheLimit()
    {
        var outbox = NewOutbox(maxQueued: 2);
        outbox.Complete();

        for (var i = 0; i < 5; i++) outbox.Send(Response("c" + i));

        _overflows.Should().Be(0, "a closing connection's late frames are dropped, not held against it");
    }

    [Fact]
    public async Task WrittenFrames_NoLongerCountTowardsTheLimit()
    {
        var outbox = NewOutbox(maxQueued: 2);
        using var stop = new CancellationTokenSource();
        var running = outbox.RunAsync(_encoder, stop.Token);

        for (var i = 0; i < 6; i++)
        {
            outbox.Send(Response("c" + i));
            (await _socket.NextAsync())["id"]!.GetValue<string>().Should().Be("c" + i);
        }

        _overflows.Should().Be(0, "only frames still waiting count");
        outbox.Complete();
        await running.WaitAsync(Bound);
    }

    [Fact]
    public async Task OnWritten_SeesEachFrameWithTheBytesSent()
    {
        var outbox = NewOutbox();
        var seen = new List<(string Method, string Text)>();
        _encoder.OnWritten = (frame, bytes) => seen.Add((frame.Method, Encoding.UTF8.GetString(bytes.ToArray())));
        outbox.Send(Response("c1"));
        outbox.Complete();

        await outbox.RunAsync(_encoder, CancellationToken.None).WaitAsync(Bound);

        var (text, _, _) = await _socket.Sent.Reader.ReadAsync().AsTask().WaitAsync(Bound);
        seen.Should().Equal(("Ping", text));
    }

    [Fact]
    public async Task LargeFrame_SpanningSeveralBuffers_IsSentAsOneWholeMessage()
    {
        var outbox = NewOutbox();
        var text = new string('x', 200_000);
        outbox.Send(new EventFrame(new MessageReceivedData("1", "chat", "sip:a@example.com", text, 1)));
        outbox.Complete();

        await outbox.RunAsync(_encoder, CancellationToken.None).WaitAsync(Bound);

        var frame = await _socket.NextAsync();
        frame["result"]!["data"]!["message"]!.GetValue<string>().Should().Be(text);
    }

    private static int SizeOf(OutboundFrame frame) => frame.EstimatedBytes;

    [Fact]
    public void BytesLimit_FramesUpToItWait_OneFrameBeyondItCutsOff_AndTheCountKeepsOnlyThoseQueued()
    {
        var size = SizeOf(Response("c0"));
        var outbox = NewOutbox(maxBytes: 2 * size);

        outbox.Send(Response("c1"));
        outbox.Send(Response("c2"));
        _overflows.Should().Be(0, "exactly the limit is allowed");
        outbox.Queued.Should().Be(2);
        outbox.Send(Response("c3"));

        _overflows.Should().Be(1);
        outbox.IsCut.Should().BeTrue();
        outbox.Queued.Should().Be(0, "at the cut the frames waiting are dropped, and the one that overflowed was never queued");
    }

    [Fact]
    public void FramesRefusedAfterComplete_DoNotCountTowardsTheByteLimit_NorAsQueued()
    {
        var outbox = NewOutbox(maxBytes: 2 * SizeOf(Response("c0")));
        outbox.Complete();

        for (var i = 0; i < 5; i++) outbox.Send(Response("c" + i));

        _overflows.Should().Be(0);
        outbox.Queued.Should().Be(0);
    }

    [Fact]
    public async Task WrittenFrames_NoLongerCountTowardsTheByteLimit()
    {
        var outbox = NewOutbox(maxBytes: 2 * SizeOf(Response("c0")));
        using var stop = new CancellationTokenSource();
        var running = outbox.RunAsync(_encoder, stop.Token);

        for (var i = 0; i < 6; i++)
        {
            outbox.Send(Response("c" + i));
            (await _socket.NextAsync())["id"]!.GetValue<string>().Should().Be("c" + i);
        }

        _overflows.Should().Be(0, "only bytes still waiting count");
        outbox.Complete();
        await running.WaitAsync(Bound);
    }

    [Fact]
    public async Task CutWhileTheWriterWaitsOnAnEmptyQueue_EndsTheWriter()
    {
        var outbox = NewOutbox(maxBytes: 1);
        var running = outbox.RunAsync(_encoder, CancellationToken.None);

        outbox.Send(Response("c1"));

        await running.WaitAsync(Bound);
        _overflows.Should().Be(1);
        _socket.Sent.Reader.TryRead(out _).Should().BeFalse();
    }

    [Fact]
    public async Task AfterTheWriterEnds_FramesAreNoLongerQueued()
    {
        var outbox = NewOutbox();
        using var stop = new CancellationTokenSource();
        var running = outbox.RunAsync(_encoder, stop.Token);
        await stop.CancelAsync();
        await running.WaitAsync(Bound).ContinueWith(static _ => { }, TaskScheduler.Default);

        outbox.Send(Response("c1"));

        outbox.Queued.Should().Be(0, "nobody would write it");
    }

    /// <summary>The outbox's measurements on a meter of its own: frames queued (+/-), frames and bytes written.</summary>
    private sealed class Measured : IDisposable
    {
        private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        private readonly MeterListener _listener = new();

        public Measured()
        {
            var factory = _services.GetRequiredService<IMeterFactory>();
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (ReferenceEquals(instrument.Meter.Scope, factory)) listener.EnableMeasurementEvents(instrument);
            };
            _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            {
                var direction = tags.ToArray().FirstOrDefault(static t => t.Key is "direction" or "reason").Value;
                lock (Values) Values.Add((instrument.Name + (direction is null ? "" : ":" + direction), value));
            });
            _listener.Start();
            Metrics = new BemsMetrics(factory, new ServerStats(), []);
        }

        public BemsMetrics Metrics { get; }
        public List<(string Instrument, long Value)> Values { get; } = [];

        public long[] Of(string instrument)
        {
            lock (Values) return [.. Values.Where(v => v.Instrument == instrument).Select(static v => v.Value)];
        }

        /// <summary>The value of an observable instrument now, as a collection (a scrape) reads it.</summary>
        public long Observed(string instrument)
        {
            lock (Values) Values.Clear();
            _listener.RecordObservableInstruments();
            return Of(instrument).Single();
        }

        public void Dispose()
        {
            _listener.Dispose();
            _services.Dispose();
        }
    }

    [Fact]
    public async Task Metrics_CountEachFrameQueuedAndUnqueued_AndEachWrittenWithItsBytes()
    {
        using var measured = new Measured();
        var outbox = NewOutbox(metrics: measured.Metrics);
        outbox.Send(Response("c1"));
        outbox.Send(Response("c2"));
        outbox.Complete();
        var waiting = measured.Observed("bems.frames.queued");

        await outbox.RunAsync(_encoder, CancellationToken.None).WaitAsync(Bound);

        var first = (await _socket.Sent.Reader.ReadAsync().AsTask().WaitAsync(Bound)).Text;
        var second = (await _socket.Sent.Reader.ReadAsync().AsTask().WaitAsync(Bound)).Text;
        waiting.Should().Be(2);
        measured.Observed("bems.frames.queued").Should().Be(0);
        measured.Observed("bems.frame.bytes:out").Should().Be(Encoding.UTF8.GetByteCount(first) + Encoding.UTF8.GetByteCount(second));
        measured.Observed("bems.frames:out").Should().Be(2);
    }

    [Fact]
    public async Task Metrics_FramesLeftQueuedWhenTheWriterStops_LeaveTheQueuedCount()
    {
        using var measured = new Measured();
        var outbox = NewOutbox(maxQueued: 2, metrics: measured.Metrics);
        outbox.Send(Response("c1"));
        outbox.Send(Response("c2"));
        var waiting = measured.Observed("bems.frames.queued");
        outbox.Send(Response("c3"));

        await outbox.RunAsync(_encoder, CancellationToken.None).WaitAsync(Bound);

        _overflows.Should().Be(1);
        waiting.Should().Be(2);
        measured.Observed("bems.frames.queued").Should().Be(0, "the frames the cut dropped leave the count");
        _socket.Sent.Reader.TryRead(out _).Should().BeFalse();
    }

    /// <summary>Counts what targets report about a frame they were given.</summary>
    private sealed class Receipt : IDeliveryReceipt
    {
        public int WrittenCount;
        public int DroppedCount;

        public void Written() => Interlocked.Increment(ref WrittenCount);
        public void Dropped() => Interlocked.Increment(ref DroppedCount);
    }

    private static (EventFrame Frame, Receipt Receipt) Tracked(string text)
    {
        var receipt = new Receipt();
        return (new EventFrame(new MessageReceivedData("1", "chat", "sip:alice@example.com", text, 1)) { Receipt = receipt }, receipt);
    }

    [Fact]
    public async Task Receipt_IsToldWrittenOnlyOnceTheSocketSendTookTheFrame()
    {
        var outbox = NewOutbox();
        var (frame, receipt) = Tracked("hello");

        outbox.Send(frame);
        receipt.WrittenCount.Should().Be(0, "queued is not written");
        outbox.Complete();
        await outbox.RunAsync(_encoder, CancellationToken.None).WaitAsync(Bound);

        (receipt.WrittenCount, receipt.DroppedCount).Should().Be((1, 0));
        (await _socket.NextAsync())["result"]!["data"]!["message"]!.GetValue<string>().Should().Be("hello");
    }

    [Fact]
    public async Task Receipt_OfAFrameLeftQueuedAtTheCut_OrGivenAfterIt_IsToldDropped()
    {
        var outbox = NewOutbox(maxQueued: 2);
        var (queued, queuedReceipt) = Tracked("queued");
        var (overflowing, overflowingReceipt) = Tracked("overflowing");
        var (late, lateReceipt) = Tracked("late");

        outbox.Send(Response("c1"));
        outbox.Send(queued);
        outbox.Send(overflowing);
        outbox.Send(late);
        await outbox.RunAsync(_encoder, CancellationToken.None).WaitAsync(Bound);

        (queuedReceipt.WrittenCount, queuedReceipt.DroppedCount).Should().Be((0, 1), "it was still queued when the client was cut off");
        (overflowingReceipt.WrittenCount, overflowingReceipt.DroppedCount).Should().Be((0, 1), "it is the frame too many");
        (lateReceipt.WrittenCount, lateReceipt.DroppedCount).Should().Be((0, 1), "nothing is taken after the cut");
    }

    [Fact]
    public void Receipt_OfAFrameGivenAfterComplete_IsToldDropped()
    {
        var outbox = NewOutbox();
        var (frame, receipt) = Tracked("after");
        outbox.Complete();

        outbox.Send(frame);

        (receipt.WrittenCount, receipt.DroppedCount).Should().Be((0, 1));
    }

    [Fact]
    public async Task Receipt_OfAFrameWhoseSendFails_IsToldDropped()
    {
        _socket.Fails = true;
        var outbox = NewOutbox();
        var (frame, receipt) = Tracked("lost");
        outbox.Send(frame);

        var run = () => outbox.RunAsync(_encoder, CancellationToken.None).WaitAsync(Bound);

        await run.Should().ThrowAsync<WebSocketException>();
        (receipt.WrittenCount, receipt.DroppedCount).Should().Be((0, 1));
    }

    [Fact]
    public async Task Stall_ASendThatTakesNoBytesForTheStallTimeout_CutsTheClientOffOnce_AndDropsWhatWaits()
    {
        _socket.Holds = true;
        var outbox = NewOutbox();
        var running = outbox.RunAsync(_encoder, CancellationToken.None);
        var (onTheWire, onTheWireReceipt) = Tracked("on the wire");
        var (waiting, waitingReceipt) = Tracked("waiting");
        outbox.Send(onTheWire);
        var send = await _socket.Held.Reader.ReadAsync().AsTask().WaitAsync(Bound);
        await _clock.ArmedAsync();
        outbox.Send(waiting);

        _clock.Advance(Stall - TimeSpan.FromTicks(1));
        _overflows.Should().Be(0, "the socket has not stalled for the whole timeout yet");
        outbox.IsCut.Should().BeFalse();
        _clock.Advance(TimeSpan.FromTicks(1));

        _cuts.Should().Equal(SlowConsumer.Stall);
        outbox.IsCut.Should().BeTrue();
        outbox.Queued.Should().Be(0);
        (waitingReceipt.WrittenCount, waitingReceipt.DroppedCount).Should().Be((0, 1), "what waited behind the stalled send is dropped at the cut");
        (onTheWireReceipt.WrittenCount, onTheWireReceipt.DroppedCount).Should().Be((0, 0), "the send in flight has not ended");
        _clock.Advance(Stall * 3);
        _overflows.Should().Be(1, "a client is cut off once");

        send.SetResult(); // the client read again: the frame on the wire went out
        await running.WaitAsync(Bound);
        (onTheWireReceipt.WrittenCount, onTheWireReceipt.DroppedCount).Should().Be((1, 0));
        _socket.Sent.Reader.Count.Should().Be(1, "nothing is written after the cut");
    }

    [Fact]
    public async Task Stall_ASlowReaderThatKeepsTakingBytes_IsNeverCutOff()
    {
        _socket.Holds = true;
        var outbox = NewOutbox();
        var running = outbox.RunAsync(_encoder, CancellationToken.None);
        for (var i = 0; i < 5; i++) outbox.Send(Response("c" + i));

        for (var i = 0; i < 5; i++)
        {
            var send = await _socket.Held.Reader.ReadAsync().AsTask().WaitAsync(Bound);
            _clock.Advance(Stall - TimeSpan.FromSeconds(1)); // each send takes almost the whole timeout, together far more
            send.SetResult();
        }
        outbox.Complete();
        await running.WaitAsync(Bound);

        _overflows.Should().Be(0, "every send completed within the stall timeout");
        _socket.Sent.Reader.Count.Should().Be(5);
    }

    [Fact]
    public async Task Stall_AnIdleSocket_IsNeverCutOff_AndASendThatCompletesAtOnceArmsNothing()
    {
        var outbox = NewOutbox();
        var running = outbox.RunAsync(_encoder, CancellationToken.None);
        outbox.Send(Response("c1"));
        (await _socket.NextAsync())["id"]!.GetValue<string>().Should().Be("c1");

        _clock.Advance(Stall * 10);

        _overflows.Should().Be(0);
        _clock.TimersCreated.Should().Be(0, "a send that completed at once is not watched");
        outbox.Complete();
        await running.WaitAsync(Bound);
    }

    [Fact]
    public async Task Metrics_CountEachCut_ByItsReason()
    {
        using var measured = new Measured();
        var queue = NewOutbox(maxQueued: 1, metrics: measured.Metrics);
        queue.Send(Response("c1"));
        queue.Send(Response("c2"));
        _socket.Holds = true;
        var stalled = NewOutbox(metrics: measured.Metrics);
        var running = stalled.RunAsync(_encoder, CancellationToken.None);
        stalled.Send(Response("c3"));
        var send = await _socket.Held.Reader.ReadAsync().AsTask().WaitAsync(Bound);
        await _clock.ArmedAsync();

        _clock.Advance(Stall);

        _cuts.Should().Equal(SlowConsumer.Queue, SlowConsumer.Stall);
        measured.Of("bems.connections.cut:queue").Should().Equal(1);
        measured.Of("bems.connections.cut:stall").Should().Equal(1);
        send.SetResult();
        await running.WaitAsync(Bound);
    }

    [Fact]
    public async Task WriterEndingOnAFailedSend_DropsWhatStillWaits_AndLeavesNothingQueued()
    {
        _socket.Fails = true;
        var outbox = NewOutbox();
        var (first, firstReceipt) = Tracked("first");
        var (second, secondReceipt) = Tracked("second");
        outbox.Send(first);
        outbox.Send(second);

        var run = () => outbox.RunAsync(_encoder, CancellationToken.None).WaitAsync(Bound);

        await run.Should().ThrowAsync<WebSocketException>();
        (secondReceipt.WrittenCount, secondReceipt.DroppedCount).Should().Be((0, 1), "the writer ended with it still queued");
        (firstReceipt.WrittenCount, firstReceipt.DroppedCount).Should().Be((0, 1));
        outbox.Queued.Should().Be(0);
    }

    [Fact]
    public async Task Stall_ASocketIdleAfterAPendingSendCompleted_IsNotCutOff_AndItsTimerIsReused()
    {
        _socket.Holds = true;
        var outbox = NewOutbox();
        var running = outbox.RunAsync(_encoder, CancellationToken.None);
        outbox.Send(Response("c1"));
        (await _socket.Held.Reader.ReadAsync().AsTask().WaitAsync(Bound)).SetResult();
        await _clock.ArmedAsync();
        _socket.Holds = false;
        outbox.Send(Response("c2")); // written at once, after the first send's end: the writer is past it
        (await _socket.NextAsync())["id"]!.GetValue<string>().Should().Be("c1");
        (await _socket.NextAsync())["id"]!.GetValue<string>().Should().Be("c2");

        _clock.Advance(Stall * 3); // nothing waits: the timer fires, finds no send pending, and disarms

        _overflows.Should().Be(0, "an idle socket is not stalled");
        _socket.Holds = true;
        outbox.Send(Response("c3"));
        var second = await _socket.Held.Reader.ReadAsync().AsTask().WaitAsync(Bound);
        await _clock.ArmedAsync();
        _clock.Advance(Stall);
        _cuts.Should().Equal(SlowConsumer.Stall);
        _clock.TimersCreated.Should().Be(1, "one timer per socket, armed again when needed");
        second.SetResult();
        await running.WaitAsync(Bound);
    }

    [Fact]
    public async Task Stall_IsCountedFromTheSendStillPending_NotFromAnEarlierOne()
    {
        _socket.Holds = true;
        var outbox = NewOutbox();
        var running = outbox.RunAsync(_encoder, CancellationToken.None);
        outbox.Send(Response("c1"));
        outbox.Send(Response("c2"));
        var first = await _socket.Held.Reader.ReadAsync().AsTask().WaitAsync(Bound);
        await _clock.ArmedAsync();
        _clock.Advance(TimeSpan.FromSeconds(10));
        first.SetResult(); // the client read a little: the second send starts pending 10 s after the first
        var second = await _socket.Held.Reader.ReadAsync().AsTask().WaitAsync(Bound);
        // The writer has noticed the second send pending (no new arming: the timer is armed already).
        SpinWait.SpinUntil(() => outbox.SendPending, Bound).Should().BeTrue();

        _clock.Advance(Stall - TimeSpan.FromSeconds(10)); // the timer armed for the first send fires, and waits on
        _overflows.Should().Be(0, "the pending send has waited 20 s");
        _clock.Advance(TimeSpan.FromSeconds(10) - TimeSpan.FromTicks(1));
        _overflows.Should().Be(0);
        _clock.Advance(TimeSpan.FromTicks(1));

        _cuts.Should().Equal(SlowConsumer.Stall);
        second.SetResult();
        await running.WaitAsync(Bound);
    }

    [Fact]
    public async Task Stall_TimerFiringAfterAQueueCut_CutsNothingMore()
    {
        _socket.Holds = true;
        var outbox = NewOutbox(maxQueued: 2);
        var running = outbox.RunAsync(_encoder, CancellationToken.None);
        outbox.Send(Response("c1"));
        var send = await _socket.Held.Reader.ReadAsync().AsTask().WaitAsync(Bound);
        await _clock.ArmedAsync();
        for (var i = 2; i <= 4; i++) outbox.Send(Response("c" + i));

        _clock.Advance(Stall * 2);

        _cuts.Should().Equal(SlowConsumer.Queue);
        send.SetResult();
        await running.WaitAsync(Bound);
    }

    // ── deferral: a dispatch's frames are written at its end, on its thread ─────────────────────────────────────────

    [Fact]
    public async Task Deferred_FramesWaitForTheDeferralsEnd_ThenAreWrittenOnItsThread_InOrder()
    {
        var outbox = NewOutbox();
        var running = outbox.RunAsync(_encoder, CancellationToken.None);

        using (Deferral.Begin())
        {
            outbox.Send(Response("c1"));
            outbox.Send(Response("c2"));
            _socket.SentNow().Should().BeEmpty("a request's answers leave when its dispatch is done, outside every lock");
        }

        _socket.SentNow().Should().Equal("c1", "c2");
        _socket.SendThreads.Should().Equal([Environment.CurrentManagedThreadId, Environment.CurrentManagedThreadId],
            "an idle writer is not woken: the deferral's own thread writes");
        outbox.Complete();
        await running.WaitAsync(Bound);
    }

    [Fact]
    public async Task Deferred_AFrameAWrittenFramesReceiptSends_IsWrittenBeforeTheDeferralEnds()
    {
        var alice = NewOutbox();
        var bob = new Outbox(new RecordingSocket(), batch: null, new OutboxLimits(16, long.MaxValue, Stall), static _ => { }, _clock);
        var aliceRunning = alice.RunAsync(_encoder, CancellationToken.None);
        var bobRunning = bob.RunAsync(new TestEncoder(1), CancellationToken.None);
        var complete = new SendsOnWritten(() => alice.Send(Response("complete")));

        using (Deferral.Begin())
        {
            alice.Send(Response("processing"));
            bob.Send(new EventFrame(new MessageReceivedData("1", "chat", "sip:alice@example.com", "hi", 1)) { Receipt = complete });
        }

        _socket.SentNow().Should().Equal(["processing", "complete"], "the COMPLETE bob's write causes is flushed by the same deferral");
        alice.Complete();
        bob.Complete();
        await Task.WhenAll(aliceRunning, bobRunning).WaitAsync(Bound);
    }

    [Fact]
    public async Task Deferred_WhileTheWriterWaitsOnAHeldSend_TheFrameIsLeftToIt()
    {
        _socket.Holds = true;
        var outbox = NewOutbox();
        var running = outbox.RunAsync(_encoder, CancellationToken.None);
        outbox.Send(Response("c1"));
        var held = await _socket.Held.Reader.ReadAsync().AsTask().WaitAsync(Bound);
        _socket.SentNow().Should().Equal("c1");

        using (Deferral.Begin()) outbox.Send(Response("c2"));

        _socket.SentNow().Should().BeEmpty("the send in flight owns the socket; the deferral does not wait for it");
        _socket.Holds = false;
        held.SetResult();
        (await _socket.NextAsync())["id"]!.GetValue<string>().Should().Be("c2");
        outbox.Complete();
        await running.WaitAsync(Bound);
    }

    [Fact]
    public async Task Deferred_BeforeTheWriterStarts_IsWrittenByIt()
    {
        var outbox = NewOutbox();

        using (Deferral.Begin()) outbox.Send(Response("c1"));
        _socket.SentNow().Should().BeEmpty();
        outbox.Complete();
        await outbox.RunAsync(_encoder, CancellationToken.None).WaitAsync(Bound);

        _socket.SentNow().Should().Equal("c1");
    }

    [Fact]
    public async Task Deferral_BeganWhileOneIsOpen_JoinsIt_TheOuterOneFlushes()
    {
        var outbox = NewOutbox();
        var running = outbox.RunAsync(_encoder, CancellationToken.None);

        using (Deferral.Begin())
        {
            using (var inner = Deferral.Begin())
            {
                inner.Should().BeNull();
                outbox.Send(Response("c1"));
            }
            _socket.SentNow().Should().BeEmpty("the inner work's end is not the outer work's end");
        }

        _socket.SentNow().Should().Equal("c1");
        Deferral.Current.Should().BeNull();
        outbox.Complete();
        await running.WaitAsync(Bound);
    }
}
