using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;
using BemsServer.Dispatch;
using BemsServer.Protocol;
using Nerdbank.Streams;

namespace BemsServer.Transport;

/// <summary>
/// The only writer of a connection's socket. Responses, completions and events are queued here in the order they are
/// released and written one message each; numbering (sequence, server ids) is assigned as they are written.
/// A client that lets more than the configured number of frames, or of bytes, pile up is cut off rather than slowing
/// anyone else (or holding the server's memory): the outbox takes no more frames, stops writing after the frame on the
/// wire, and tells its connection, which ends the session and closes the socket. A frame with a
/// <see cref="OutboundFrame.Receipt"/> reports whether it was written or dropped (a chat message's sender gets COMPLETE
/// only for a message a socket send took, MessageUpdate for one left in the queue).
/// Everything it reports to is given at construction: the connection's request outcomes (completions and failures
/// settle the requests that depend on them) and the control plane's tap (fault rules, frame journal). Frames queued
/// together leave in one socket send when the socket's stream is batched (<see cref="SendBatch"/>).
/// </summary>
public sealed class Outbox(
    WebSocket socket, SendBatch? batch, WireCounters counters, OutboxLimits limits, Action onOverflow, RequestOutcomes outcomes, IOutboxTap tap,
    Diagnostics.BemsMetrics? metrics = null)
    : IConnectionOutbox
{
    // Stryker disable once Initializer,Boolean : scheduling hints (one reader; the writer loop never runs inline in Deliver); what is written, and in which order, is the same
    private readonly Channel<OutboundFrame> _frames = Channel.CreateUnbounded<OutboundFrame>(
        new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = false });
    private int _queued;
    private long _queuedBytes;
    private volatile bool _cut;

    /// <summary>Whether the outbox was cut off for letting too much pile up.</summary>
    public bool IsCut => _cut;

    /// <summary>Frames queued and not yet written: a client that does not read its socket lets them pile up.</summary>
    public int Queued => Volatile.Read(ref _queued);

    public void Deliver(OutboundFrame frame)
    {
        if (!tap.Admit(frame))
        {
            outcomes.Observe(frame); // a fault hides or holds the frame; the request's outcome stands
            return;
        }
        if (_cut)
        {
            frame.Receipt?.Dropped();
            return;
        }
        var bytes = frame.EstimatedBytes;
        if (Interlocked.Increment(ref _queued) > limits.MaxFrames | Interlocked.Add(ref _queuedBytes, bytes) > limits.MaxBytes)
        {
            Interlocked.Decrement(ref _queued);
            // Stryker disable once Statement,Unary : once cut, nothing reads the byte count again (Deliver returns at _cut first)
            Interlocked.Add(ref _queuedBytes, -bytes);
            frame.Receipt?.Dropped();
            Cut();
            return;
        }
        if (!_frames.Writer.TryWrite(frame))
        {
            Interlocked.Decrement(ref _queued);
            Interlocked.Add(ref _queuedBytes, -bytes);
            frame.Receipt?.Dropped();
        }
        else metrics?.FrameQueued();
        outcomes.Observe(frame); // after queuing: a request waiting on this one answers behind this frame
    }

    private void Cut()
    {
        // Stryker disable once Statement : reached only when two Deliver calls race past the _cut check; it keeps onOverflow to one call
        if (_cut) return;
        _cut = true;
        _frames.Writer.TryComplete();
        onOverflow();
    }

    /// <summary>No more frames are accepted; those already queued are still written.</summary>
    public void Complete() => _frames.Writer.TryComplete();

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        // Stryker disable once Initializer : the segment size the buffer rents; the bytes written are the same
        using var buffer = new Sequence<byte>(ArrayPool<byte>.Shared) { MinimumSpanLength = 1024 };
        await using var writer = new Utf8JsonWriter(buffer, FrameSerializer.WriterOptions);
        var reader = _frames.Reader;
        try
        {
            while (!_cut && await reader.WaitToReadAsync(cancellationToken))
            {
                batch?.Begin();
                while (!_cut && reader.TryRead(out var frame))
                {
                    Interlocked.Decrement(ref _queued);
                    Interlocked.Add(ref _queuedBytes, -frame.EstimatedBytes);
                    metrics?.FramesUnqueued(1);
                    writer.Reset(buffer);
                    FrameSerializer.Write(writer, frame, counters);
                    writer.Flush();
                    var bytes = buffer.AsReadOnlySequence;
                    tap.Written(frame, bytes);
                    try
                    {
                        await SendAsync(bytes, cancellationToken);
                    }
                    catch
                    {
                        frame.Receipt?.Dropped();
                        throw;
                    }
                    frame.Receipt?.Written();
                    metrics?.FrameWritten(bytes.Length);
                    buffer.Reset();
                }
                if (batch is not null) await batch.EndAsync(cancellationToken); // the queue is empty: what was gathered leaves now
            }
        }
        finally
        {
            // Nobody writes any more: frames still queued leave the queued-frames count (and no more are taken).
            _frames.Writer.TryComplete();
            var left = 0;
            while (reader.TryRead(out var never))
            {
                never.Receipt?.Dropped(); // a chat message the device never got: its sender learns it was not delivered
                left++;
            }
            if (left > 0) metrics?.FramesUnqueued(left);
        }
    }

    private async ValueTask SendAsync(ReadOnlySequence<byte> bytes, CancellationToken cancellationToken)
    {
        if (bytes.IsSingleSegment)
        {
            await socket.SendAsync(bytes.First, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
            return;
        }
        // A large frame spans pooled segments: send it as one contiguous message.
        // Stryker disable once Checked : a frame larger than MaxQueuedBytes is never queued, so none comes near 2 GB
        var length = checked((int)bytes.Length);
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            bytes.CopyTo(rented);
            await socket.SendAsync(rented.AsMemory(0, length), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        }
        finally
        {
            // Stryker disable once Statement : returning the rented array to the pool only saves an allocation later
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}

/// <summary>What one connection may let pile up before it is cut off (<c>Bems:Transport:MaxQueuedFrames</c>, <c>MaxQueuedBytes</c>).</summary>
public readonly record struct OutboxLimits(int MaxFrames, long MaxBytes);
