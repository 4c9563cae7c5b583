using System.Text.Json;
using BemsServer.Protocol;

namespace BemsServer.Dispatch;

/// <summary>
/// A request as the transport hands it to the dispatcher: the BEMS method name, the request id and the time it was read
/// travel with the params. Bad input travels the same way, <see cref="Rejected"/> saying why, so that its error is
/// queued in arrival order like every other answer.
/// </summary>
internal sealed record InboundCall(RequestId Id, string Method, JsonElement Params, long ReadAt)
{
    /// <summary>The call for a message the transport read and checked, read now.</summary>
    public static InboundCall From(Protocol.InboundRequest request) => request.IsValid
        ? new InboundCall(request.Id, request.Method!, request.Params, System.Diagnostics.Stopwatch.GetTimestamp())
        : new InboundCall(request.Id, request.Method ?? "-", default, System.Diagnostics.Stopwatch.GetTimestamp())
        {
            Rejected = new Rejection(request.ErrorCode, request.Error!, request.Data),
        };

    /// <summary>
    /// The call with params of its own, for a call that runs after the message's bytes are gone (queued, or waiting for
    /// its dependencies): the transport's params are read in place from a buffer that is reused.
    /// </summary>
    public InboundCall Owned() => Params.ValueKind == JsonValueKind.Undefined ? this : this with { Params = Params.Clone() };

    /// <summary>Set when the transport could not accept the message (malformed, wrong shape, binary, empty, oversized).</summary>
    public Rejection? Rejected { get; init; }
}

/// <summary>Why the transport refused a message: the JSON-RPC error it is answered with.</summary>
internal sealed record Rejection(int Code, string Message, Protocol.Data.ErrorData? Data);
