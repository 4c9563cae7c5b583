using System.Buffers;
using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using BemsServer.Dispatch;
using BemsServer.Protocol;

namespace BemsServer.Cluster;

/// <summary>
/// The way from the node that holds a tenant to one node that holds sockets: frames are encoded here by their
/// connection's session half, in the order they were queued (so each connection's frames keep their order and
/// numbering), gathered, and sent by one call at a time to that node's <see cref="INodeObserver"/>; the next batch
/// leaves when the last one arrived. A frame with a receipt is numbered and its receipt kept until the socket's node
/// reports that a socket send wrote it or that it was dropped (<see cref="Settle"/>): COMPLETE means the same on both
/// engines.
/// </summary>
internal sealed partial class NodeLink : IDisposable
{
    private const int MaxBatch = 512;
    private readonly Channel<(RemoteLink Link, OutboundFrame? Frame, int CloseCode, string? CloseReason)> _queue =
        Channel.CreateUnbounded<(RemoteLink, OutboundFrame?, int, string?)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<long, (RemoteLink Link, IDeliveryReceipt Receipt)> _receipts = new();
    private readonly string _node;
    private readonly ILogger _logger;
    private INodeObserver _observer;
    private long _lastReceipt;

    public NodeLink(string node, INodeObserver observer, ILogger logger)
    {
        (_node, _observer, _logger) = (node, observer, logger);
        _ = Task.Run(PumpAsync);
    }

    /// <summary>The node opened another connection: its observer reference is the one to use from now on.</summary>
    public NodeLink Refresh(INodeObserver observer)
    {
        Volatile.Write(ref _observer, observer);
        return this;
    }

    public void Send(RemoteLink link, OutboundFrame frame)
    {
        if (!_queue.Writer.TryWrite((link, frame, 0, null))) frame.Receipt?.Dropped(); // the node left
    }

    public void Close(RemoteLink link, int code, string? reason) => _queue.Writer.TryWrite((link, null, code, reason));

    /// <summary>The socket's node reports what its sockets did with frames that carried receipts.</summary>
    public void Settle(long[] written, long[] dropped)
    {
        foreach (var number in written)
            if (_receipts.TryRemove(number, out var pending)) pending.Receipt.Written();
        foreach (var number in dropped)
            if (_receipts.TryRemove(number, out var pending)) pending.Receipt.Dropped();
    }

    /// <summary>
    /// The connection ended (its node reported the socket's receipts first, then its end): what it never reported on
    /// was not delivered, and nothing of it is kept.
    /// </summary>
    public void Forget(RemoteLink link)
    {
        foreach (var (number, pending) in _receipts)
            if (ReferenceEquals(pending.Link, link) && _receipts.TryRemove(number, out _)) pending.Receipt.Dropped();
    }

    private async Task PumpAsync()
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        await using var writer = new Utf8JsonWriter(buffer, FrameSerializer.WriterOptions);
        var batch = new List<EdgeFrame>(MaxBatch);
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && reader.TryRead(out var item))
            {
                if (item.Frame is null)
                {
                    batch.Add(new EdgeFrame(item.Link.Connection, null, item.CloseCode, item.CloseReason));
                    continue;
                }
                buffer.ResetWrittenCount();
                writer.Reset(buffer);
                item.Link.Encoder.Encode(writer, item.Frame);
                writer.Flush();
                item.Link.Encoder.Encoded(item.Frame, new ReadOnlySequence<byte>(buffer.WrittenMemory));
                var number = 0L;
                if (item.Frame.Receipt is { } receipt)
                {
                    number = ++_lastReceipt;
                    _receipts[number] = (item.Link, receipt);
                    // Its connection ended while the frame waited here: Forget may have run before this entry existed.
                    if (item.Link.Stopped && _receipts.TryRemove(number, out var late))
                    {
                        late.Receipt.Dropped();
                        number = 0;
                    }
                }
                batch.Add(new EdgeFrame(item.Link.Connection, buffer.WrittenSpan.ToArray(), 0, null, number));
            }
            try
            {
                await Volatile.Read(ref _observer).Deliver([.. batch]);
            }
#pragma warning disable CA1031 // The node is unreachable: membership will declare it dead and end its connections.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogUndelivered(_logger, batch.Count, _node, ex);
                Settle([], [.. batch.Where(static f => f.Receipt != 0).Select(static f => f.Receipt)]);
            }
        }
    }

    /// <summary>The node left: nothing more goes there, and what it never reported on was not delivered.</summary>
    public void Dispose()
    {
        _queue.Writer.TryComplete();
        while (_queue.Reader.TryRead(out var left)) left.Frame?.Receipt?.Dropped();
        Settle([], [.. _receipts.Keys]);
    }

    [LoggerMessage(EventId = 501, Level = LogLevel.Warning, Message = "{Count} frames could not be delivered to node {Node}")]
    private static partial void LogUndelivered(ILogger logger, int count, string node, Exception exception);
}

/// <summary>
/// A remote connection's link, on the node that holds its tenant: its session half's frames go to the socket's node
/// through the <see cref="NodeLink"/>, which encodes them in queue order with <see cref="Encoder"/>.
/// </summary>
internal sealed class RemoteLink(string connection, NodeLink link) : IFrameLink
{
    private volatile bool _closed;
    private volatile bool _stopped;

    public string Connection { get; } = connection;

    /// <summary>The connection ended on this node.</summary>
    public bool Stopped => _stopped;

    /// <summary>The connection's session half, which numbers and serializes its frames.</summary>
    public IFrameEncoder Encoder { get; set; } = IFrameEncoder.Prepared;

    /// <summary>Frames in flight to the socket's node are counted there.</summary>
    public int Queued => 0;

    public void Send(OutboundFrame frame)
    {
        if (_closed) frame.Receipt?.Dropped();
        else link.Send(this, frame);
    }

    /// <summary>No more frames; the socket's node closes the connection (with this code) after those sent.</summary>
    public void Close(int code, string? reason)
    {
        if (_closed) return;
        _closed = true;
        link.Close(this, code, reason);
    }

    /// <summary>The connection ended: nothing more is sent, and receipts still pending are dropped.</summary>
    public void Stop()
    {
        _closed = true;
        _stopped = true;
        link.Forget(this);
    }
}
