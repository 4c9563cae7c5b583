using System.Text.Json.Serialization;

namespace BemsServer.Protocol.Data;

/// <summary>
/// The payload under <c>result.data</c> (or <c>error.data</c> for MessageUpdate). Every payload names its method; responses
/// and completions also carry a state. Method-specific fields come first, <c>method</c> and <c>state</c> last, as in most
/// samples; a payload whose sample places <c>method</c> elsewhere puts its later fields at <see cref="WireOrder.AfterMethod"/>.
/// </summary>
public abstract record BemsData(
    [property: JsonPropertyOrder(WireOrder.Method)] string Method)
{
    [JsonPropertyOrder(WireOrder.State)]
    public string? State { get; init; }
}

/// <summary>A payload with nothing but <c>method</c> and <c>state</c>.</summary>
public sealed record MethodData(string Method) : BemsData(Method);

/// <summary>The <c>data</c> of a JSON-RPC error: which method or parameter it concerns.</summary>
public sealed record ErrorData(string? Method = null, string? Param = null, long? Limit = null);

/// <summary>Member order inside <c>data</c>: fields default to 0 (before <c>method</c>); <c>state</c> is always last.</summary>
public static class WireOrder
{
    public const int Method = 1000;
    public const int AfterMethod = 1001;
    public const int State = 2000;
}
