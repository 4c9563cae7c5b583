using System.Text.Json;
using BemsServer.Protocol;
using StreamJsonRpc;

namespace BemsServer.Transport;

/// <summary>An inbound text message checked against the JSON-RPC request shape, or the error it earns.</summary>
public readonly record struct InboundRequest(RequestId Id, string? Method, JsonElement Params, int ErrorCode, string? Error)
{
    private static readonly JsonReaderOptions ReaderOptions = new()
    {
        // The documentation's own samples carry trailing commas; a lenient reader costs nothing for valid JSON.
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
        MaxDepth = 64,
    };

    public bool IsValid => Error is null;

    public static InboundRequest Parse(ReadOnlySpan<byte> utf8)
    {
        JsonElement root;
        try
        {
            var reader = new Utf8JsonReader(utf8, ReaderOptions);
            root = JsonElement.ParseValue(ref reader);
            if (reader.Read()) return Fail(RequestId.Null, ErrorCodes.ParseError, "Parse error: one message must hold exactly one JSON value.");
        }
        catch (JsonException ex)
        {
            return Fail(RequestId.Null, ErrorCodes.ParseError, $"Parse error: {ex.Message}");
        }

        if (root.ValueKind == JsonValueKind.Array)
            return Fail(RequestId.Null, ErrorCodes.InvalidRequest, "Invalid request: batch (array) requests are not supported; send one object per message.");
        if (root.ValueKind != JsonValueKind.Object)
            return Fail(RequestId.Null, ErrorCodes.InvalidRequest, "Invalid request: a request must be a JSON object.");

        var id = RequestId.Null;
        if (root.TryGetProperty("id", out var idElement))
        {
            if (idElement.ValueKind == JsonValueKind.String) id = new RequestId(idElement.GetString());
            else if (idElement.ValueKind == JsonValueKind.Number && idElement.TryGetInt64(out var number)) id = new RequestId(number);
            else return Fail(RequestId.Null, ErrorCodes.InvalidRequest, "Invalid request: 'id' must be a string or an integer.");
        }

        if (!root.TryGetProperty("method", out var methodElement))
        {
            var reason = root.TryGetProperty("result", out _) || root.TryGetProperty("error", out _)
                ? "Invalid request: the server sends no requests, so it expects no responses."
                : "Invalid request: 'method' is missing.";
            return Fail(id, ErrorCodes.InvalidRequest, reason);
        }
        if (methodElement.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(methodElement.GetString()))
            return Fail(id, ErrorCodes.InvalidRequest, "Invalid request: 'method' must be a non-empty string.");
        if (root.TryGetProperty("jsonrpc", out var version) && !(version.ValueKind == JsonValueKind.String && version.ValueEquals("2.0"u8)))
            return Fail(id, ErrorCodes.InvalidRequest, "Invalid request: 'jsonrpc' must be \"2.0\".");
        if (id.IsNull)
            return Fail(id, ErrorCodes.InvalidRequest, "Invalid request: 'id' is required; every BEMS request is answered under its id.");

        var method = methodElement.GetString();
        var parameters = root.TryGetProperty("params", out var p) ? p : default;
        if (parameters.ValueKind is not (JsonValueKind.Object or JsonValueKind.Undefined or JsonValueKind.Null))
            return new InboundRequest(id, method, default, ErrorCodes.InvalidParams, "Invalid params: 'params' must be an object.");
        return new InboundRequest(id, method, parameters, 0, null);
    }

    public static InboundRequest Fail(RequestId id, int code, string message) => new(id, null, default, code, message);
}
