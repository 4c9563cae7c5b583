using System.Text.Json.Serialization;

namespace BemsServer.Protocol.Data;

/// <summary>
/// The payload under <c>result.data</c> (or <c>error.data</c> for MessageUpdate). Every payload names its method; responses
/// and completions also carry a state. Method-specific fields come first, <c>method</c> and <c>state</c> last, as in the samples.
/// </summary>
public abstract record BemsData(
    [property: JsonPropertyOrder(1000)] string Method)
{
    [JsonPropertyOrder(1001)]
    public string? State { get; init; }
}

/// <summary>A payload with nothing but <c>method</c> and <c>state</c>.</summary>
public sealed record MethodData(string Method) : BemsData(Method);

/// <summary>The <c>data</c> of a JSON-RPC error: which method or parameter it concerns.</summary>
public sealed record ErrorData(string? Method = null, string? Param = null, long? Limit = null);
