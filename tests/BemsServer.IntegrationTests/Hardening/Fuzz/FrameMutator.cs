using System.Text;
using System.Text.Json.Nodes;

namespace BemsServer.IntegrationTests.Hardening.Fuzz;

/// <summary>One fuzzed message: its bytes, how it is cut into frames, and the id its answer must carry (null: any id).</summary>
public sealed record FuzzMessage(string Kind, byte[] Bytes, bool Binary, string? ExpectedId, IReadOnlyList<int> Cuts, bool PingsBetween);

/// <summary>
/// Seeded mutations of the documentation's sample requests: value types, nesting, sizes, encodings (non-ASCII, escapes,
/// lone surrogates, control characters), the envelope (id, method, jsonrpc, params), broken syntax, empty and binary
/// messages; any of them may also be cut into fragments with pings between. Every message is valid at the WebSocket
/// level (text is valid UTF-8): what is fuzzed is what the server has to judge.
/// </summary>
public sealed class FrameMutator(Random random, IReadOnlyList<string> samples, int maxMessageBytes)
{
    private const string Placeholder = "@@fuzz@@";

    private static readonly string[] Encoded =
    [
        "\"\\ud800\"", "\"\\udfff\"", "\"a\\ud83d\"", "\"\\ude00b\"", "\"\\ud83d\\ude00\"", "\"😀 Grüße 你好\"", "\"\\u0041\\u00e9\"",
        "\"\\u0000\\u001f\"", "\"\\\\\\\"\\/\\b\\f\\n\\r\\t\"", "\"\u200b\u202e\ufeff\"", "\"\\ud800\\ud800\\udc00\"",
    ];

    private static readonly string[] Envelope =
    [
        "\"id\":1234567",
        "\"id\":true",
        "\"id\":{}",
        "\"id\":null",
        "\"id\":\"\\ud800\"",
        "\"id\":1.5",
        "\"method\":7",
        "\"method\":\"\"",
        "\"method\":\"FlyToTheMoon\"",
        "\"method\":\"\\udc00\"",
        "\"method\":null",
        "\"jsonrpc\":\"1.0\"",
        "\"jsonrpc\":2",
        "\"params\":[1,2]",
        "\"params\":\"x\"",
        "\"params\":null",
    ];


    public FuzzMessage Next(int n)
    {
        var id = $"f{n}";
        var sample = JsonNode.Parse(samples[random.Next(samples.Count)])!.AsObject();
        sample["id"] = id;
        var (kind, text, expected) = random.Next(9) switch
        {
            0 => ("sample", sample.ToJsonString(), id),
            1 => ("type", Mutate(sample, static (r, _) => RandomValue(r)).ToJsonString(), id),
            2 => Nested(sample, id),
            3 => Sized(sample, id),
            4 => Encoding(sample, id),
            5 => ("envelope", EnvelopeMutation(sample, n), (string?)null),
            6 => ("syntax", Syntax(sample.ToJsonString()), (string?)null),
            7 => ("extra", Extra(sample).ToJsonString(), id),
            _ => random.Next(3) switch
            {
                0 => ("empty", "", (string?)null),
                1 => ("binary", Placeholder, (string?)null),
                _ => ("number", random.Next().ToString(System.Globalization.CultureInfo.InvariantCulture), (string?)null),
            },
        };
        var binary = kind == "binary";
        var bytes = binary ? RandomBytes(random.Next(0, 300)) : System.Text.Encoding.UTF8.GetBytes(text);
        if (bytes.Length > maxMessageBytes) expected = null; // refused as oversized, under id null
        var cuts = new List<int>();
        if (bytes.Length > 1 && random.Next(4) == 0)
            for (var i = random.Next(1, 6); i > 0; i--) cuts.Add(random.Next(1, bytes.Length));
        cuts.Sort();
        return new FuzzMessage(kind, bytes, binary, expected, cuts.Distinct().ToList(), random.Next(2) == 0);
    }

    private JsonObject Mutate(JsonObject request, Func<Random, JsonNode?, JsonNode?> change)
    {
        var parameters = request["params"] as JsonObject ?? [];
        request["params"] = parameters;
        var names = parameters.Select(static p => p.Key).ToList();
        var name = names.Count == 0 || random.Next(5) == 0 ? "extra" + random.Next(3) : names[random.Next(names.Count)];
        parameters[name] = change(random, parameters[name]?.DeepClone());
        return request;
    }

    private static JsonNode? RandomValue(Random r) => r.Next(8) switch
    {
        0 => null,
        1 => JsonValue.Create(r.Next(2) == 0),
        2 => JsonValue.Create(r.NextInt64(long.MinValue, long.MaxValue)),
        3 => JsonValue.Create(r.NextDouble() * 1e300),
        4 => new JsonArray(JsonValue.Create("a"), JsonValue.Create(1)),
        5 => new JsonObject { ["k"] = "v" },
        6 => JsonValue.Create(""),
        _ => JsonValue.Create("   "),
    };

    private (string, string, string?) Nested(JsonObject request, string id)
    {
        var depth = random.Next(1, 100);
        Mutate(request, (r, value) =>
        {
            var node = value ?? JsonValue.Create("x");
            for (var i = 0; i < depth; i++) node = r.Next(2) == 0 ? new JsonArray(node) : new JsonObject { ["n"] = node };
            return node;
        });
        var text = request.ToJsonString(new System.Text.Json.JsonSerializerOptions { MaxDepth = 256 });
        return ("nesting", text, depth < 50 ? id : null); // near the reader's depth limit (64) the message becomes a parse error
    }

    private (string, string, string?) Sized(JsonObject request, string id)
    {
        var length = random.Next(4) == 0 ? random.Next(maxMessageBytes - 200, maxMessageBytes + 20_000) : random.Next(0, 5000);
        Mutate(request, (r, _) => JsonValue.Create(new string((char)('a' + r.Next(26)), length)));
        return ("size", request.ToJsonString(), id);
    }

    private (string, string, string?) Encoding(JsonObject request, string id)
    {
        Mutate(request, static (_, _) => JsonValue.Create(Placeholder));
        var text = request.ToJsonString(new System.Text.Json.JsonSerializerOptions
        {
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        });
        return ("encoding", text.Replace($"\"{Placeholder}\"", Encoded[random.Next(Encoded.Length)], StringComparison.Ordinal), id);
    }

    private string EnvelopeMutation(JsonObject request, int n)
    {
        // A numeric id stays unique (the check tells an answer from a later completion by its id).
        var change = Envelope[random.Next(Envelope.Length)].Replace("1234567", (1_000_000 + n).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        var member = change[..(change.IndexOf(':', StringComparison.Ordinal) + 1)];
        request.Remove(member.Trim('"', ':'));
        if (random.Next(6) == 0) return request.ToJsonString(); // the member missing altogether
        var text = request.ToJsonString();
        return text.Length <= 2 ? "{" + change + "}" : "{" + change + "," + text[1..];
    }

    private string Syntax(string text) => random.Next(5) switch
    {
        0 => text[..random.Next(text.Length)],
        1 => text.Insert(random.Next(text.Length), "}"),
        2 => text.Insert(random.Next(text.Length), ",,"),
        3 => text + text,
        _ => "[" + text + "]",
    };

    private JsonObject Extra(JsonObject request)
    {
        var parameters = request["params"] as JsonObject ?? [];
        request["params"] = parameters;
        switch (random.Next(3))
        {
            case 0: parameters["dependencies"] = random.Next(2) == 0 ? "c5,c6" : "c5"; break; // unknown ids: refused at once
            case 1: parameters["reconnect"] = "true"; break;
            default: request["background"] = true; break;
        }
        return request;
    }

    private byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }
}
