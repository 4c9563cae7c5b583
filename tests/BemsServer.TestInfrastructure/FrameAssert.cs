using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace BemsServer.TestInfrastructure;

/// <summary>
/// Compares a whole frame with an expected frame: the same members (no more, no fewer), the same JSON types, the same
/// values — except where the expected value is a typed placeholder for a value the server chooses:
/// <c>"&lt;guid&gt;"</c>, <c>"&lt;digits&gt;"</c> (a string of digits), <c>"&lt;string&gt;"</c>, <c>"&lt;number&gt;"</c>,
/// <c>"&lt;sequence&gt;"</c> (an integer in 1..2^53), <c>"&lt;S-id&gt;"</c> / <c>"&lt;s-id&gt;"</c> (server ids).
/// Members must also come in the expected order: the samples' member order is part of the wire format.
/// </summary>
public static partial class FrameAssert
{
    public static void Matches(Frame actual, string expected) => Matches(actual.Json, JsonNode.Parse(expected)!, actual.Text);

    public static void Matches(JsonNode actual, JsonNode expected, string context)
    {
        var problems = new List<string>();
        Compare(actual, expected, "$", problems);
        problems.Should().BeEmpty("frame {0} should match {1}", context, expected.ToJsonString());
    }

    private static void Compare(JsonNode? actual, JsonNode? expected, string path, List<string> problems)
    {
        if (expected is JsonValue placeholder && placeholder.TryGetValue<string>(out var text) && text.StartsWith('<') && text.EndsWith('>'))
        {
            if (!MatchesPlaceholder(actual, text)) problems.Add($"{path}: {actual?.ToJsonString() ?? "null"} is not {text}");
            return;
        }
        switch (expected)
        {
            case null:
                if (actual is not null) problems.Add($"{path}: expected null, got {actual.ToJsonString()}");
                break;
            case JsonObject expectedObject:
                if (actual is not JsonObject actualObject)
                {
                    problems.Add($"{path}: expected an object, got {actual?.ToJsonString() ?? "null"}");
                    return;
                }
                foreach (var (key, value) in expectedObject)
                {
                    if (!actualObject.ContainsKey(key)) problems.Add($"{path}.{key}: missing");
                    else Compare(actualObject[key], value, $"{path}.{key}", problems);
                }
                foreach (var (key, _) in actualObject)
                    if (!expectedObject.ContainsKey(key)) problems.Add($"{path}.{key}: unexpected member");
                var expectedOrder = expectedObject.Select(p => p.Key).Where(actualObject.ContainsKey).ToList();
                var actualOrder = actualObject.Select(p => p.Key).Where(expectedObject.ContainsKey).ToList();
                if (!expectedOrder.SequenceEqual(actualOrder))
                    problems.Add($"{path}: members in the order [{string.Join(",", actualOrder)}], expected [{string.Join(",", expectedOrder)}]");
                break;
            case JsonArray expectedArray:
                if (actual is not JsonArray actualArray || actualArray.Count != expectedArray.Count)
                {
                    problems.Add($"{path}: expected {expectedArray.ToJsonString()}, got {actual?.ToJsonString() ?? "null"}");
                    return;
                }
                for (var i = 0; i < expectedArray.Count; i++) Compare(actualArray[i], expectedArray[i], $"{path}[{i}]", problems);
                break;
            default:
                if (actual is not JsonValue actualValue || actualValue.GetValueKind() != expected.GetValueKind()
                    || !JsonNode.DeepEquals(actual, expected))
                    problems.Add($"{path}: expected {expected.ToJsonString()} ({expected.GetValueKind()}), got {actual?.ToJsonString() ?? "null"} ({actual?.GetValueKind()})");
                break;
        }
    }

    private static bool MatchesPlaceholder(JsonNode? actual, string placeholder)
    {
        var kind = actual?.GetValueKind();
        var text = kind == JsonValueKind.String ? actual!.GetValue<string>() : null;
        return placeholder switch
        {
            "<guid>" => Guid.TryParse(text, out _),
            "<digits>" => text is { Length: > 0 } && text.All(char.IsAsciiDigit),
            "<string>" => text is not null,
            "<number>" => kind == JsonValueKind.Number,
            "<sequence>" => kind == JsonValueKind.Number && actual!.GetValue<long>() is > 0 and < (1L << 53),
            "<S-id>" => text is not null && ServerId().IsMatch(text) && text[0] == 'S',
            "<s-id>" => text is not null && ServerId().IsMatch(text) && text[0] == 's',
            _ => throw new ArgumentException($"Unknown placeholder {placeholder}"),
        };
    }

    [GeneratedRegex("^[Ss][0-9]+$")]
    private static partial Regex ServerId();
}
