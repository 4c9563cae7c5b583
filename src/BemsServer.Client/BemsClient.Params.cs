using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace BemsServer.Client;

public sealed partial class BemsClient
{
    /// <summary>A params object from name/value pairs; null values are left out (absent, not <c>null</c>).</summary>
    private static JsonObject Params(params ReadOnlySpan<(string Name, JsonNode? Value)> items)
    {
        var parameters = new JsonObject();
        foreach (var (name, value) in items)
            if (value is not null) parameters[name] = value;
        return parameters;
    }

    private static JsonArray? Array(IEnumerable<string>? values) => values is null ? null : [.. values.Select(v => (JsonNode?)v)];

    /// <summary>The one generic path every typed method takes: call, then read the COMPLETE's data as <typeparamref name="T"/>.</summary>
    private async Task<T> CallAsync<T>(string method, JsonObject parameters, JsonTypeInfo<T> type, CancellationToken cancellationToken) =>
        (await CallAsync(method, parameters, cancellationToken).ConfigureAwait(false)).Deserialize(type)
        ?? throw new JsonException($"{method} completed without data.");

    /// <summary>The COMPLETE's human-readable <c>message</c> (AddGroup, RemoveGroup, …).</summary>
    private async Task<string> CallForMessageAsync(string method, JsonObject parameters, CancellationToken cancellationToken) =>
        Text(await CallAsync(method, parameters, cancellationToken).ConfigureAwait(false), "message") ?? "";
}
