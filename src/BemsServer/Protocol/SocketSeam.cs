using System.Buffers;
using System.Text.Json;

namespace BemsServer.Protocol;

/// <summary>
/// The session half of a connection as its socket sees it: each message read, in arrival order and one at a time, and
/// the connection's end. The socket half checks only bytes (binary, oversized, empty); what a message says is the
/// session half's to read.
/// </summary>
internal interface IMessageSink
{
    /// <summary>
    /// One message as read. <paramref name="refusal"/> is set when the socket half refused it (binary or oversized):
    /// the session half answers that error in line with its other answers. The socket reads the next message once the
    /// returned task completed (a session half that forwards messages elsewhere pushes back on a client that floods).
    /// The bytes are the socket's pooled buffer: they are valid until the returned task completes, and not after.
    /// </summary>
    ValueTask Received(ReadOnlyMemory<byte> utf8, SocketRefusal? refusal);

    /// <summary>
    /// The socket's reading ended (closed, dropped or cut off): the session ends as a closed connection. The task
    /// completes once it has ended where it lives (at once on one node; on a cluster, once the tenant's node has it):
    /// the socket answers the client's close after that, so a client whose close completed is signed out.
    /// </summary>
    Task Ended();
}

/// <summary>Why the socket half refused a message before anyone read it: the JSON-RPC error it is answered with.</summary>
internal sealed record SocketRefusal(int Code, string Message)
{
    public static SocketRefusal Binary { get; } = new(ErrorCodes.InvalidRequest,
        "Invalid request: binary messages are not supported; send each request as UTF-8 JSON text.");

    public static SocketRefusal Oversized(int maxMessageBytes) =>
        new(ErrorCodes.InvalidRequest, $"Invalid request: the message is larger than {maxMessageBytes} bytes.");
}

/// <summary>
/// Turns a connection's frames into wire bytes in queue order: numbers them (sequence, server ids) and serializes them,
/// then sees the bytes that go on the wire (the frame journal). The session half owns it; the socket half calls it as it
/// writes (one node), or the link to the socket's node does before sending the bytes (cluster).
/// </summary>
internal interface IFrameEncoder
{
    void Encode(Utf8JsonWriter writer, OutboundFrame frame);

    void Encoded(OutboundFrame frame, ReadOnlySequence<byte> utf8);

    /// <summary>For frames already encoded elsewhere (<see cref="PreparedFrame"/>): their bytes as they are.</summary>
    public static readonly IFrameEncoder Prepared = new AsPrepared();

    private sealed class AsPrepared : IFrameEncoder
    {
        private static readonly WireCounters Unused = new(0);

        public void Encode(Utf8JsonWriter writer, OutboundFrame frame) => FrameSerializer.Write(writer, frame, Unused);

        public void Encoded(OutboundFrame frame, ReadOnlySequence<byte> utf8)
        {
        }
    }
}
