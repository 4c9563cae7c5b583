using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BemsServer.IntegrationTests.Infrastructure;

namespace BemsServer.IntegrationTests.Rooms;

/// <summary>
/// pc.* calls over the wire. Their completions come in several documented envelopes (with or without sequence, error or
/// state), so a call is simply the first two frames carrying the request's id: the immediate response, then the completion.
/// </summary>
public static partial class RoomWire
{
    public static async Task<(Frame Response, Frame Completion)> PcAsync(this WireClient client, string method, object parameters)
    {
        var id = await client.SendAsync(method, parameters);
        var response = await client.ResponseToAsync(id);
        if (response.Json["error"] is JsonObject) throw new InvalidOperationException($"{method} failed: {response}");
        return (response, await client.ResponseToAsync(id));
    }

    /// <summary>Sends a call that must be refused and returns its error object.</summary>
    public static async Task<JsonObject> PcErrorAsync(this WireClient client, string method, object parameters)
    {
        var answer = await client.RequestAsync(method, parameters);
        answer.Json["error"].Should().BeOfType<JsonObject>("{0} should be refused, got {1}", method, answer.Text);
        answer.Json["result"].Should().BeNull();
        return answer.Json["error"]!.AsObject();
    }

    public static async Task<string> CreateRoomAsync(this WireClient client, object parameters)
    {
        var (_, completion) = await client.PcAsync("pc.CreateRoom", parameters);
        return completion.Data!["id"]!.GetValue<string>();
    }

    public static async Task<JsonNode> GetRoomAsync(this WireClient client, string roomId) =>
        (await client.PcAsync("pc.GetRoom", new { roomId })).Completion.Data!;

    public static async Task<JsonArray> HistoryAsync(this WireClient client, object parameters) =>
        (await client.PcAsync("pc.GetChatHistory", parameters)).Completion.Data!["messages"]!.AsArray();

    public static Task<Frame> RoomEventAsync(this WireClient client, string method, string roomId) =>
        client.WaitForAsync(f => f.IsEvent && f.Method == method && f.Data?["roomId"]?.GetValue<string>() == roomId, $"{method} for {roomId}");

    /// <summary>Replaces every room id of a documentation sample by a real one.</summary>
    public static string WithRoom(this string sample, string roomId) => RoomIdPattern().Replace(sample, roomId);

    /// <summary>
    /// A pc.* event sample as the server sends it: every event carries <c>"error":null</c> (spec §6 envelope) and a
    /// <c>sequence</c> (the pc.SendMessage sample), as docs/protocol.md states.
    /// </summary>
    public static string EventTemplate(string sample, Action<JsonObject>? adjust = null)
    {
        var node = JsonNode.Parse(SpecSamples.Template(sample))!.AsObject();
        var rebuilt = new JsonObject { ["id"] = "<S-id>", ["sequence"] = "<sequence>", ["error"] = null, ["result"] = node["result"]!.DeepClone(), ["jsonrpc"] = "2.0" };
        adjust?.Invoke(rebuilt["result"]!["data"]!.AsObject());
        return rebuilt.ToJsonString();
    }

    [GeneratedRegex("ma-chan://[A-Za-z0-9.-]+/[0-9a-f-]{36}")]
    private static partial Regex RoomIdPattern();
}
