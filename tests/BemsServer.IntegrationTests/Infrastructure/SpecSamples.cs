using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace BemsServer.IntegrationTests.Infrastructure;

/// <summary>
/// The JSON samples of docs/spec/bems-connect-api.md, by method section, in the order the document shows them: the
/// request, the immediate response, the completion (and, for SendMessage, the MessageUpdate variants).
/// </summary>
public static partial class SpecSamples
{
    private static readonly Lazy<Dictionary<string, List<string>>> Sections = new(Load);

    /// <summary>The raw JSON text of every sample in the method's section.</summary>
    public static IReadOnlyList<string> Of(string method) =>
        Sections.Value.TryGetValue(method, out var samples) ? samples : throw new KeyNotFoundException($"No section for {method}");

    /// <summary>Every client request among the samples (objects with a method and params), in document order.</summary>
    public static IReadOnlyList<string> AllRequests() =>
    [
        .. Sections.Value.Values.SelectMany(static s => s).Where(static s =>
        {
            try
            {
                return JsonNode.Parse(s) is JsonObject o && o["method"] is JsonValue && o.ContainsKey("params");
            }
            catch (System.Text.Json.JsonException)
            {
                return false;
            }
        }),
    ];

    public static string Request(string method) => Of(method).First(s => JsonNode.Parse(s)!["params"] is not null);

    /// <summary>The immediate response: <c>"error":null</c> and no sequence.</summary>
    public static string Response(string method) =>
        Of(method).First(s => JsonNode.Parse(s) is JsonObject o && o.ContainsKey("error") && o["error"] is null && !o.ContainsKey("sequence") && o["params"] is null);

    /// <summary>The completion notification: carries a sequence.</summary>
    public static string Completion(string method) => Of(method).First(s => JsonNode.Parse(s)!["sequence"] is not null);

    public static IEnumerable<string> WithErrorData(string method) => Of(method).Where(s => JsonNode.Parse(s)!["error"] is JsonObject);

    /// <summary>
    /// The sample as an expected frame: the values the server chooses itself (sequence, timestamps, chat and request ids,
    /// server ids) become typed placeholders; everything else must match exactly.
    /// </summary>
    public static string Template(string sample)
    {
        var node = JsonNode.Parse(sample)!.AsObject();
        if (node["id"]?.GetValue<string>() is { } id && ServerId().IsMatch(id)) node["id"] = id[0] == 'S' ? "<S-id>" : "<s-id>";
        if (node.ContainsKey("sequence")) node["sequence"] = "<sequence>";
        if ((node["result"]?["data"] ?? node["error"]?["data"]) is JsonObject data)
        {
            foreach (var key in data.Select(p => p.Key).ToList())
            {
                data[key] = key switch
                {
                    "timestamp" => data[key]!.GetValueKind() == System.Text.Json.JsonValueKind.String ? "<digits>" : "<number>",
                    "chatId" or "requestIds" or "requestId" => "<guid>",
                    _ => data[key]?.DeepClone(),
                };
            }
        }
        return node.ToJsonString();
    }

    private static Dictionary<string, List<string>> Load()
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "spec", "bems-connect-api.md"));
        var sections = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        List<string>? current = null;
        var inJson = false;
        var block = new List<string>();
        foreach (var line in text.Split('\n'))
        {
            var heading = Heading().Match(line);
            if (heading.Success)
            {
                current = [];
                sections[heading.Groups[1].Value] = current;
                continue;
            }
            if (line.StartsWith("```json", StringComparison.Ordinal)) { inJson = true; block.Clear(); continue; }
            if (inJson && line.StartsWith("```", StringComparison.Ordinal))
            {
                inJson = false;
                current?.Add(string.Join('\n', block));
                continue;
            }
            if (inJson) block.Add(line);
        }
        return sections;
    }

    [GeneratedRegex(@"^### [0-9]+\.[0-9]+ (\S+)")]
    private static partial Regex Heading();

    [GeneratedRegex("^[Ss][0-9]+$")]
    private static partial Regex ServerId();
}
