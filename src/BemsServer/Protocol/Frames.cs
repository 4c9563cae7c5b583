using BemsServer.Protocol.Data;

namespace BemsServer.Protocol;

/// <summary>One JSON object the server sends as one WebSocket text message.</summary>
internal abstract class OutboundFrame
{
    private byte[]? _payload;

    /// <summary>The data's method name, for logs and the frame journal.</summary>
    public abstract string Method { get; }

    /// <summary>
    /// The frame's payload (its data object, without the numbering) serialized once, however many connections the frame
    /// goes to; the outbox counts its length against the bytes a slow client may let pile up.
    /// </summary>
    public ReadOnlySpan<byte> Payload => Volatile.Read(ref _payload) ?? (_payload = FrameSerializer.SerializePayload(this));

    /// <summary>About the bytes the frame takes on the wire: its payload and an envelope allowance.</summary>
    public int EstimatedBytes => FrameSerializer.EnvelopeBytes + Payload.Length + (this is ErrorFrame e ? e.Message.Length * 3 : 0);

    /// <summary>
    /// Who waits to learn whether the frame reached its device (a delivered chat message's sender); null for most frames.
    /// Every target the frame is given to reports it once: written, or dropped.
    /// </summary>
    public IDeliveryReceipt? Receipt { get; init; }
}

/// <summary>
/// Told, by each target a frame was given to, whether the frame reached the device: <see cref="Written"/> when a socket
/// send of it completed (or a simulated user or a parked session took it), <see cref="Dropped"/> when it never will
/// (the connection was cut off or ended with the frame still queued).
/// </summary>
internal interface IDeliveryReceipt
{
    void Written();

    void Dropped();
}

/// <summary>The immediate answer to a request: <c>"error":null</c>, <c>result.data</c>, optional top-level <c>background</c>.</summary>
internal sealed class ResponseFrame(RequestId id, BemsData data, bool? background) : OutboundFrame
{
    public RequestId Id { get; } = id;
    public BemsData Data { get; } = data;
    public bool? Background { get; } = background;
    public override string Method => Data.Method;
}

/// <summary>How a completion notification is dressed; the documentation shows per-method variants.</summary>
internal enum CompletionStyle
{
    /// <summary><c>{"id","sequence","result","jsonrpc"}</c>: no <c>error</c> member (the IM methods).</summary>
    Sequenced,
    /// <summary><c>{"id","error":null,"result","jsonrpc"}</c>: no <c>sequence</c> (file transfer, most pc.* methods).</summary>
    ErrorNull,
}

/// <summary>The later notification that ends a request, under the request's own id.</summary>
internal sealed class CompletionFrame(RequestId id, BemsData data, CompletionStyle style = CompletionStyle.Sequenced) : OutboundFrame
{
    public RequestId Id { get; } = id;
    public BemsData Data { get; } = data;
    public CompletionStyle Style { get; } = style;
    public override string Method => Data.Method;
}

/// <summary>A server event under a server id (<c>S&lt;n&gt;</c>), with a sequence and <c>"error":null</c>.</summary>
internal sealed class EventFrame(BemsData data) : OutboundFrame
{
    public BemsData Data { get; } = data;

    /// <summary>
    /// Whether the frame carries <c>"error":null</c>. Every event does, except the author's copy of a room message, whose
    /// sample (pc.SendMessage, spec §5.11) has none.
    /// </summary>
    public bool ErrorNull { get; init; } = true;
    public override string Method => Data.Method;
}

/// <summary>SendMessage's failure notification: id <c>s&lt;n&gt;</c>, payload under <c>error.data</c>.</summary>
internal sealed class MessageUpdateFrame(MessageUpdateData data) : OutboundFrame
{
    public MessageUpdateData Data { get; } = data;

    /// <summary>The request this update ends (a SendMessage), for the connection's outcome table; not written (the frame has its own server id).</summary>
    public RequestId Request { get; init; } = RequestId.NotSpecified;
    public override string Method => Data.Method;
}

/// <summary>A JSON-RPC error in the BEMS envelope: <c>"result":null</c> and <c>error</c> with code, message and optional data.</summary>
internal sealed class ErrorFrame(RequestId id, int code, string message, ErrorData? data = null) : OutboundFrame
{
    public RequestId Id { get; } = id;
    public int Code { get; } = code;
    public string Message { get; } = message;
    public ErrorData? Data { get; } = data;
    public override string Method => Data?.Method ?? "";
}

/// <summary>SetGDToken's documented reply: top-level method and state, <c>result</c> = <c>{"status":…}</c>.</summary>
internal sealed class LegacyStatusFrame(RequestId id, string method, LegacyStatus result) : OutboundFrame
{
    public RequestId Id { get; } = id;
    public LegacyStatus Result { get; } = result;
    public override string Method { get; } = method;
}

/// <summary>
/// A frame already serialized, numbering included, by the node that holds the connection's session (cluster mode): the
/// node that holds the socket writes its bytes as they are.
/// </summary>
internal sealed class PreparedFrame(byte[] utf8) : OutboundFrame
{
    public byte[] Utf8 { get; } = utf8;
    public override string Method => "";
}
