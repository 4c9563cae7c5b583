using System.Buffers;
using System.Text.Json;
using System.Threading.Channels;
using BemsServer.Protocol;

namespace BemsServer.Cluster;

/// <summary>
/// The way from the node that holds a tenant to one node that holds sockets: frames are numbered and serialized here in
/// the order they were queued (so each connection's frames keep their order and numbering), gathered, and sent by one
/// call at a time to that node's <see cref="INodeObserver"/>; the next batch leaves when the last one arrived.
/// </summary>
internal sealed partial class NodeLink : IDisposable
{
    private const int MaxBatch = 512;
    private readonly Channel<(RemoteOutbox Outbox, OutboundFrame? Frame, int CloseCode, string? CloseReason)> _queue =
        Channel.CreateUnbounded<(RemoteOutbox, OutboundFrame?, int, string?)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly string _node;
    private readonly ILogger _logger;
    private readonly Task _pump;
    private INodeObserver _observer;

    public NodeLink(string node, INodeObserver observer, ILogger logger)
    {
        (_node, _observer, _logger) = (node, observer, logger);
        _pump = Task.Run(PumpAsync);
    }

    /// <summary>The node opened another connection: its observer reference is the one to use from now on.</summary>
    public NodeLink Refresh(INodeObserver observer)
    {
        Volatile.Write(ref _observer, observer);
        return this;
    }

    public void Send(RemoteOutbox outbox, OutboundFrame frame) => _queue.Writer.TryWrite((outbox, frame, 0, null));

    public void Close(RemoteOutbox outbox, int code, string? reason) => _queue.Writer.TryWrite((outbox, null, code, reason));

    private async Task PumpAsync()
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        await using var writer = new Utf8JsonWriter(buffer, FrameSerializer.WriterOptions);
        var batch = new List<EdgeFrame>(MaxBatch);
        var receipts = new List<IDeliveryReceipt>();
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync())
        {
            batch.Clear();
            receipts.Clear();
            while (batch.Count < MaxBatch && reader.TryRead(out var item))
            {
                if (item.Frame is null)
                {
                    batch.Add(new EdgeFrame(item.Outbox.Connection, null, item.CloseCode, item.CloseReason));
                    continue;
                }
                buffer.ResetWrittenCount();
                writer.Reset(buffer);
                FrameSerializer.Write(writer, item.Frame, item.Outbox.Counters);
                writer.Flush();
                item.Outbox.Tap.Written(item.Frame, new ReadOnlySequence<byte>(buffer.WrittenMemory));
                batch.Add(new EdgeFrame(item.Outbox.Connection, buffer.WrittenSpan.ToArray(), 0, null));
                if (item.Frame.Receipt is { } receipt) receipts.Add(receipt);
            }
            try
            {
                await Volatile.Read(ref _observer).Deliver([.. batch]);
                foreach (var receipt in receipts) receipt.Written(); // in the socket's outbox on its node
            }
#pragma warning disable CA1031 // The node is unreachable: membership will declare it dead and end its connections.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogUndelivered(_logger, batch.Count, _node, ex);
                foreach (var receipt in receipts) receipt.Dropped();
            }
        }
        while (reader.TryRead(out var left)) left.Frame?.Receipt?.Dropped(); // the node left with these still queued
    }

    public void Dispose() => _queue.Writer.TryComplete();

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} frames could not be delivered to node {Node}")]
    private static partial void LogUndelivered(ILogger logger, int count, string node, Exception exception);
}
