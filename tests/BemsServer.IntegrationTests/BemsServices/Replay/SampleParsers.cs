using System.Text.Json;
using System.Text.Json.Nodes;

namespace BemsServer.IntegrationTests.BemsServices.Replay;

/// <summary>
/// The rules each public sample's parser applies to an answer, and nothing more lenient: an answer these accept is one
/// the sample would have shown. (Android's org.json <c>getString</c>/<c>getInt</c> throw on a missing member or one of
/// another type; <c>has</c> checks first; iOS's NSJSONSerialization needs valid JSON.) Each throws on a violation.
/// </summary>
public static class SampleParsers
{
    /// <summary>BEMSDirectoryLookupSample: a bare array; every element an object with string FullName and EmailAddress.</summary>
    public static List<(string FullName, string EmailAddress)> AndroidLookup(string body)
    {
        var array = JsonNode.Parse(body) as JsonArray ?? throw new JsonException("the answer is not a bare JSON array");
        return [.. array.Select(e => (GetString(e, "FullName"), GetString(e, "EmailAddress")))];
    }

    /// <summary>BEMS-SharedServices (iOS): JSON the app can read; the elements are dictionaries; Photo, when there, base64.</summary>
    public static List<JsonObject> IosLookup(string body)
    {
        var array = JsonNode.Parse(body) as JsonArray ?? throw new JsonException("the answer is not a JSON array");
        var users = array.Select(e => e as JsonObject ?? throw new JsonException("an element is not a dictionary")).ToList();
        foreach (var user in users)
            if (user["Photo"] is { } photo) Convert.FromBase64String(photo.GetValue<string>());
        return users;
    }

    /// <summary>BEMSPresenceServiceSample (rich): getString("sequence"); each contact getString("id"), getInt("availability").</summary>
    public static (string Sequence, List<(string Id, int Availability)> Contacts) RichPresence(string body)
    {
        var root = JsonNode.Parse(body) as JsonObject ?? throw new JsonException("the answer is not a JSON object");
        var sequence = GetString(root, "sequence");
        var contacts = root["contacts"] as JsonArray ?? throw new JsonException("contacts is not an array");
        return (sequence, [.. contacts.Select(c => (GetString(c, "id"), GetInt(c, "availability")))]);
    }

    /// <summary>BEMSContactServiceSample: LookupInfo's int Size and TotalCount; Contacts[0 ≤ i &lt; Size]; DisplayName, EmailAddress read when there.</summary>
    public static (int Size, int TotalCount, List<(string? DisplayName, string? EmailAddress)> Contacts) ContactSearch(string body)
    {
        var root = JsonNode.Parse(body) as JsonObject ?? throw new JsonException("the answer is not a JSON object");
        var info = root["LookupInfo"] as JsonObject ?? throw new JsonException("LookupInfo is not an object");
        var contacts = root["Contacts"] as JsonArray ?? throw new JsonException("Contacts is not an array");
        var size = GetInt(info, "Size");
        var total = GetInt(info, "TotalCount");
        var read = new List<(string?, string?)>();
        for (var i = 0; i < size; i++)
        {
            var contact = contacts[i] as JsonObject ?? throw new JsonException($"Contacts[{i}] is missing or not an object (Size {size}, length {contacts.Count})");
            read.Add((contact.ContainsKey("DisplayName") ? GetString(contact, "DisplayName") : null,
                contact.ContainsKey("EmailAddress") ? GetString(contact, "EmailAddress") : null));
        }
        return (size, total, read);
    }

    private static string GetString(JsonNode? node, string name) =>
        node is JsonObject o && o[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String
            ? v.GetValue<string>()
            : throw new JsonException($"{name} is missing or not a string in {node?.ToJsonString()}");

    private static int GetInt(JsonNode? node, string name) =>
        node is JsonObject o && o[name] is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<int>(out var number)
            ? number
            : throw new JsonException($"{name} is missing or not an int in {node?.ToJsonString()}");
}
