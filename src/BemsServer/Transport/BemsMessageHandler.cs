using System.Buffers;
using System.Net.WebSockets;
using BemsServer.Dispatch;
using BemsServer.Protocol;
using BemsServer.Protocol.Data;
using StreamJsonRpc;
using StreamJsonRpc.Protocol;

namespace BemsServer.Transport;

/// <summary>
/// StreamJsonRpc's view of one WebSocket: one text message is one request. Bad input (malformed JSON, wrong shape,
/// binary, empty or oversized messages) goes to the dispatcher as a notification carrying its rejection, answered in
/// arrival order, and the loop keeps reading. Everything
/// StreamJsonRpc writes is translated into a BEMS frame and queued on the connection's outbox. Each message read and
/// checked is shown to the frame journal (<paramref name="onRead"/>, null when the journal is off).
/// </summary>
public sealed class BemsMessageHandler(
    WebSocket socket, IConnectionOutbox outbox, Diagnostics.BemsMetrics? metrics, int maxMessageBytes, Diagnostics.InboundObserver? onRead)
    : IJsonRpcMessageHandler
{
    private const int InitialBufferBytes = 4096;
    private byte[] _buffer = [];

    public bool CanRead => true;
    public bool CanWrite => true;
    public IJsonRpcMessageFormatter Formatter => UnusedFormatter.Instance;

    public async ValueTask<JsonRpcMessage?> ReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            // Wait for data without holding a buffer: an idle connection costs no read buffer.
            var first = await socket.ReceiveAsync(Memory<byte>.Empty, cancellationToken);
            if (first.MessageType == WebSocketMessageType.Close) return null;

            _buffer = ArrayPool<byte>.Shared.Rent(InitialBufferBytes);
            try
            {
                // A zero-length message ends with the zero-byte read itself: it is answered, not merged into the next one.
                var (count, type, oversized) = first.EndOfMessage ? (0, first.MessageType, false) : await ReceiveMessageAsync(cancellationToken);
                if (type == WebSocketMessageType.Close) return null;
                metrics?.FrameRead(count);
                var request = type != WebSocketMessageType.Text
                    ? InboundRequest.Fail(RequestId.Null, ErrorCodes.InvalidRequest, "Invalid request: binary messages are not supported; send each request as UTF-8 JSON text.")
                    : oversized
                        ? InboundRequest.Fail(RequestId.Null, ErrorCodes.InvalidRequest, $"Invalid request: the message is larger than {maxMessageBytes} bytes.")
                        : InboundRequest.Parse(_buffer.AsSpan(0, count));
                onRead?.Invoke(_buffer.AsSpan(0, count), request);

                // Bad input is a notification (StreamJsonRpc writes no answer of its own): the dispatcher queues the error in
                // line with the answers to the requests before it.
                return new JsonRpcRequest
                {
                    RequestId = request.IsValid ? request.Id : RequestId.NotSpecified,
                    Method = BemsJsonRpc.DispatchName,
                    ArgumentsList = [InboundCall.From(request)],
                };
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = [];
            }
        }
    }

    public ValueTask WriteAsync(JsonRpcMessage jsonRpcMessage, CancellationToken cancellationToken)
    {
        switch (jsonRpcMessage)
        {
            case JsonRpcResult:
                break; // the dispatcher queued the response itself, in dispatch order; there is no result to write
            case JsonRpcError { Error: { } error } failure:
                outbox.Deliver(new ErrorFrame(failure.RequestId, (int)error.Code, error.Message ?? "Error", error.Data as ErrorData));
                break;
        }
        return default;
    }

    /// <summary>Reads one whole message into <see cref="_buffer"/>, growing it up to the limit and discarding the rest of a larger one.</summary>
    private async ValueTask<(int Count, WebSocketMessageType Type, bool Oversized)> ReceiveMessageAsync(CancellationToken cancellationToken)
    {
        var count = 0;
        var oversized = false;
        while (true)
        {
            var limit = Math.Min(_buffer.Length, maxMessageBytes);
            if (count >= limit)
            {
                if (limit >= maxMessageBytes)
                {
                    oversized = true;
                    count = 0;
                }
                else
                {
                    var larger = ArrayPool<byte>.Shared.Rent(Math.Min(_buffer.Length * 2, maxMessageBytes));
                    _buffer.AsSpan(0, count).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(_buffer);
                    _buffer = larger;
                    limit = Math.Min(_buffer.Length, maxMessageBytes);
                }
            }
            var received = await socket.ReceiveAsync(_buffer.AsMemory(count, limit - count), cancellationToken);
            if (received.MessageType == WebSocketMessageType.Close) return (0, received.MessageType, oversized);
            count += received.Count;
            if (received.EndOfMessage) return (count, received.MessageType, oversized);
        }
    }
}
