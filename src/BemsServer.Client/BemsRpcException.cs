using System.Text.Json;

namespace BemsServer.Client;

/// <summary>A request answered with a JSON-RPC error: the server's <c>code</c>, <c>message</c> and <c>data</c>.</summary>
public sealed class BemsRpcException : Exception
{
    /// <summary>Creates the exception for one error frame.</summary>
    public BemsRpcException(string method, int code, string message, JsonElement? data)
        : base($"{method} failed with {code}: {message}")
    {
        Method = method;
        Code = code;
        ErrorMessage = message;
        Data = data;
    }

    /// <summary>The method of the request that failed.</summary>
    public string Method { get; }

    /// <summary>The JSON-RPC error code (see <c>BemsServer.Protocol.ErrorCodes</c>).</summary>
    public int Code { get; }

    /// <summary>The error's <c>message</c> as the server wrote it.</summary>
    public string ErrorMessage { get; }

    /// <summary>The error's <c>data</c> (<c>method</c>, <c>param</c>, …), when present.</summary>
    public new JsonElement? Data { get; }

    /// <summary>The parameter at fault (<c>data.param</c>), when the server names one.</summary>
    public string? Param => Data is { ValueKind: JsonValueKind.Object } data && data.TryGetProperty("param", out var p) && p.ValueKind == JsonValueKind.String
        ? p.GetString()
        : null;
}

/// <summary>A raw call (<see cref="BemsClient.CallAsync(string, object?, CancellationToken)"/>) to SendMessage ended in a MessageUpdate.</summary>
public sealed class BemsMessageUpdateException(SendOutcome outcome)
    : Exception($"SendMessage {outcome.MessageId} ended in MessageUpdate {outcome.Type}/{outcome.Status}")
{
    /// <summary>The message's outcome.</summary>
    public SendOutcome Outcome { get; } = outcome;
}

/// <summary>The connection closed (or failed) before the awaited answer or event arrived.</summary>
public sealed class BemsConnectionClosedException(string message, Exception? inner = null) : Exception(message, inner);
