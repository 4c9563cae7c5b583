using System.Text.Json;
using StreamJsonRpc;

namespace BemsServer.Dispatch;

/// <summary>
/// A request as the transport hands it to the dispatcher: the BEMS method name, the request id and the time it was read
/// travel with the params.
/// </summary>
public sealed record InboundCall(RequestId Id, string Method, JsonElement Params, long ReadAt);
