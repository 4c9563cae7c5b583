using System.Text.Json;
using BemsServer.Protocol;
using BemsServer.Protocol.Data;

namespace BemsServer.Protocol;

/// <summary>An inbound text message checked against the JSON-RPC request shape, or the error it earns.</summary>
internal readonly record struct InboundRequest(RequestId Id, string? Method, JsonElement Params, int ErrorCode, string? Error)
{
    private const string LoneSurrogate = "holds a lone UTF-16 surrogate escape (such as \\ud800), which is not text";

    private static readonly JsonReaderOptions ReaderOptions = new()
    {
        // The documentation's own samples carry trailing commas; a lenient reader costs nothing for valid JSON.
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
        MaxDepth = 64,
    };

    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        AllowTrailingCommas = ReaderOptions.AllowTrailingCommas,
        CommentHandling = ReaderOptions.CommentHandling,
        MaxDepth = ReaderOptions.MaxDepth,
    };

    public bool IsValid => Error is null;

    /// <summary>
    /// The parsed message, read in place from the caller's bytes with its token table rented from the shared pool: it is
    /// valid only while those bytes are, and the caller disposes it once the request has been handled (a request kept
    /// longer keeps a copy of its params, <c>JsonElement.Clone</c>). Null when nothing was parsed.
    /// </summary>
    public JsonDocument? Document { get; init; }

    /// <summary>The method and parameter at fault, when known.</summary>
    public ErrorData? Data { get; init; }

    public static InboundRequest Parse(ReadOnlyMemory<byte> utf8)
    {
        JsonDocument document;
        try
        {
            // In place: no copy of the message and no token table of its own (both were per-message garbage).
            document = JsonDocument.Parse(utf8, DocumentOptions);
        }
        catch (JsonException)
        {
            return ParseFailure(utf8.Span);
        }

        try
        {
            return Read(document.RootElement, utf8.Span) with { Document = document };
        }
        catch (InvalidOperationException)
        {
            // A member name with a lone surrogate escape: System.Text.Json cannot compare it with 'id' or 'method'.
            document.Dispose();
            return Fail(RequestId.Null, ErrorCodes.InvalidRequest, $"Invalid request: a member name {LoneSurrogate}.");
        }
    }

    /// <summary>Why a message is not one JSON value, read again token by token to say so (bad input only).</summary>
    private static InboundRequest ParseFailure(ReadOnlySpan<byte> utf8)
    {
        try
        {
            var reader = new Utf8JsonReader(utf8, ReaderOptions);
            using var value = JsonDocument.ParseValue(ref reader);
            reader.Read(); // a second value throws: "'{' is invalid after a single JSON value"
        }
        catch (JsonException ex)
        {
            return Fail(RequestId.Null, ErrorCodes.ParseError, $"Parse error: {ex.Message}");
        }
        return Fail(RequestId.Null, ErrorCodes.ParseError, "Parse error: the message is not one JSON value.");
    }

    private static InboundRequest Read(JsonElement root, ReadOnlySpan<byte> utf8)
    {
        if (root.ValueKind == JsonValueKind.Array)
            return Fail(RequestId.Null, ErrorCodes.InvalidRequest, "Invalid request: batch (array) requests are not supported; send one object per message.");
        if (root.ValueKind != JsonValueKind.Object)
            return Fail(RequestId.Null, ErrorCodes.InvalidRequest, "Invalid request: a request must be a JSON object.");

        var id = RequestId.Null;
        if (root.TryGetProperty("id", out var idElement))
        {
            if (idElement.ValueKind == JsonValueKind.String)
            {
                if (!UnicodeCheck.TryGetString(idElement, out var text))
                    return Fail(RequestId.Null, ErrorCodes.InvalidRequest, $"Invalid request: 'id' {LoneSurrogate}.");
                id = new RequestId(text!);
            }
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
        string? method = null;
        if (methodElement.ValueKind == JsonValueKind.String && (method = KnownMethods.Find(methodElement)) is null
            && !UnicodeCheck.TryGetString(methodElement, out method))
            return Fail(id, ErrorCodes.InvalidRequest, $"Invalid request: 'method' {LoneSurrogate}.");
        if (string.IsNullOrEmpty(method))
            return Fail(id, ErrorCodes.InvalidRequest, "Invalid request: 'method' must be a non-empty string.");
        if (root.TryGetProperty("jsonrpc", out var version) && !(version.ValueKind == JsonValueKind.String && UnicodeCheck.ValueEquals(version, "2.0"u8)))
            return Fail(id, ErrorCodes.InvalidRequest, "Invalid request: 'jsonrpc' must be \"2.0\".");
        if (id.IsNull)
            return Fail(id, ErrorCodes.InvalidRequest, "Invalid request: 'id' is required; every BEMS request is answered under its id.");

        var parameters = root.TryGetProperty("params", out var p) ? p : default;
        if (parameters.ValueKind is not (JsonValueKind.Object or JsonValueKind.Undefined or JsonValueKind.Null))
            return new InboundRequest(id, method, default, ErrorCodes.InvalidParams, "Invalid params: 'params' must be an object.");
        if (parameters.ValueKind == JsonValueKind.Object && UnicodeCheck.MayHoldEscapes(utf8) && UnicodeCheck.FirstInvalidMember(parameters) is { } bad)
            return new InboundRequest(id, method, default, ErrorCodes.InvalidParams, $"Invalid params: parameter '{bad}' {LoneSurrogate}.")
            {
                Data = new ErrorData(method, bad),
            };
        return new InboundRequest(id, method, parameters, 0, null);
    }

    public static InboundRequest Fail(RequestId id, int code, string message) => new(id, null, default, code, message);
}
