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
/// wire, and tells its connection, which ends the session and closes the socket.
/// </summary>
public sealed class Outbox(WebSocket socket, WireCounters counters, OutboxLimits limits, Action onOverflow) : IFrameTarget
{
    private readonly Channel<OutboundFrame> _frames = Channel.CreateUnbounded<OutboundFrame>(
        new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = false });
    private int _queued;
    private long _queuedBytes;
    private volatile bool _cut;

    /// <summary>Whether the outbox was cut off for letting too much pile up.</summary>
    public bool IsCut => _cut;

    /// <summary>Called with each frame as it goes on the wire (the frame journal hooks in here).</summary>
    public Action<OutboundFrame, ReadOnlySequence<byte>>? OnWritten { get; set; }

    /// <summary>Sees each frame before it is queued; false means it took the frame (fault injection hooks in here).</summary>
    public Func<OutboundFrame, bool>? Filter { get; set; }

    /// <summary>Told of each frame once queued (or taken by the filter): the connection's request outcomes (<c>dependencies</c>).</summary>
    public RequestOutcomes? Outcomes { get; set; }

    public void Deliver(OutboundFrame frame)
    {
        if (Filter is { } filter && !filter(frame))
        {
            Outcomes?.Observe(frame); // a fault hides or holds the frame; the request's outcome stands
            return;
        }
        if (_cut) return;
        var bytes = frame.EstimatedBytes;
        if (Interlocked.Increment(ref _queued) > limits.MaxFrames | Interlocked.Add(ref _queuedBytes, bytes) > limits.MaxBytes)
        {
            Interlocked.Decrement(ref _queued);
            Interlocked.Add(ref _queuedBytes, -bytes);
            Cut();
            return;
        }
        if (!_frames.Writer.TryWrite(frame))
        {
            Interlocked.Decrement(ref _queued);
            Interlocked.Add(ref _queuedBytes, -bytes);
        }
        Outcomes?.Observe(frame); // after queuing: a request waiting on this one answers behind this frame
    }

    private void Cut()
    {
        if (_cut) return;
        _cut = true;
        _frames.Writer.TryComplete();
        onOverflow();
    }

    /// <summary>No more frames are accepted; those already queued are still written.</summary>
    public void Complete() => _frames.Writer.TryComplete();

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var buffer = new Sequence<byte>(ArrayPool<byte>.Shared) { MinimumSpanLength = 1024 };
        await using var writer = new Utf8JsonWriter(buffer, FrameSerializer.WriterOptions);
        var reader = _frames.Reader;
        while (!_cut && await reader.WaitToReadAsync(cancellationToken))
        {
            while (!_cut && reader.TryRead(out var frame))
            {
                Interlocked.Decrement(ref _queued);
                Interlocked.Add(ref _queuedBytes, -frame.EstimatedBytes);
                writer.Reset(buffer);
                FrameSerializer.Write(writer, frame, counters);
                writer.Flush();
                var bytes = buffer.AsReadOnlySequence;
                OnWritten?.Invoke(frame, bytes);
                await SendAsync(bytes, cancellationToken);
                buffer.Reset();
            }
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
        var length = checked((int)bytes.Length);
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            bytes.CopyTo(rented);
            await socket.SendAsync(rented.AsMemory(0, length), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}

/// <summary>What one connection may let pile up before it is cut off (<c>Bems:Transport:MaxQueuedFrames</c>, <c>MaxQueuedBytes</c>).</summary>
public readonly record struct OutboxLimits(int MaxFrames, long MaxBytes);
