using System.Text.Json;
using System.Text.Json.Serialization;
using BemsServer.Control;
using BemsServer.Protocol.Admin;
using BemsServer.Tenancy;

namespace BemsServer.Admin;

/// <summary>
/// A tenant's journal as a HAR 1.2 document, the way Chrome DevTools exports and imports a WebSocket: one entry per
/// connection (the GET that upgraded it, answered 101) whose <c>_webSocketMessages</c> are its frames in journal order,
/// <c>send</c> for client to server. The BEMS services' HTTP calls (connection <c>http</c>) are left out: the journal
/// keeps their bodies, not their URLs or headers.
/// </summary>
internal static class JournalHar
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <param name="webSocketBase">The address the tenant's clients connect to (<c>ws://host/</c> or <c>ws://host/t/{name}/</c>).</param>
    public static HarDocument Build(JournalPage journal, Uri webSocketBase, string version)
    {
        var entries = journal.Entries.Where(static e => e.Connection != FrameJournal.HttpConnection)
            .GroupBy(static e => e.Connection) // in order of each connection's first frame
            .Select(connection => Entry(connection.Key, [.. connection], webSocketBase))
            .ToList();
        var comment = journal.Dropped > 0
            ? $"The journal had dropped its {journal.Dropped} oldest frames (Bems:Journal:Capacity, Bems:Journal:MaxBytes) before this export."
            : null;
        return new HarDocument(new HarLog("1.2", new HarCreator("BemsServer", version), entries, comment));
    }

    public static byte[] Serialize(HarDocument har) => JsonSerializer.SerializeToUtf8Bytes(har, Json);

    /// <summary>The WebSocket address of a tenant as seen from an admin request (same host, scheme ws or wss).</summary>
    public static Uri WebSocketBase(HttpRequest request, Tenant tenant) => new(
        $"{(request.IsHttps ? "wss" : "ws")}://{request.Host}{request.PathBase}/"
        + (tenant.Name == TenantRegistry.DefaultName ? "" : $"t/{Uri.EscapeDataString(tenant.Name)}/"));

    private static HarEntry Entry(string connection, List<JournalEntry> frames, Uri url)
    {
        var first = frames[0].Time;
        var user = frames.Select(static f => f.User).FirstOrDefault(static u => u is not null);
        HarHeader[] upgrade = [new("Upgrade", "websocket"), new("Connection", "Upgrade")];
        return new HarEntry(
            StartedDateTime: first,
            Time: (frames[^1].Time - first).TotalMilliseconds,
            Request: new HarRequest("GET", url.AbsoluteUri, "HTTP/1.1", [], upgrade, [], -1, 0),
            Response: new HarResponse(101, "Switching Protocols", "HTTP/1.1", [], upgrade, new HarContent(0, "x-unknown"), "", -1, 0),
            Cache: new HarCache(),
            Timings: new HarTimings(0, 0, 0),
            Connection: connection,
            Comment: user is null ? null : $"user {user}",
            ResourceType: "websocket",
            WebSocketMessages: [.. frames.Select(static f => new HarWebSocketMessage(
                f.Direction == "in" ? "send" : "receive", (f.Time - DateTimeOffset.UnixEpoch).TotalSeconds, 1, f.Text))]);
    }
}

internal sealed record HarDocument(HarLog Log);

internal sealed record HarLog(string Version, HarCreator Creator, IReadOnlyList<HarEntry> Entries, string? Comment);

internal sealed record HarCreator(string Name, string Version);

internal sealed record HarEntry(
    DateTimeOffset StartedDateTime, double Time, HarRequest Request, HarResponse Response, HarCache Cache, HarTimings Timings,
    string Connection, string? Comment,
    [property: JsonPropertyName("_resourceType")] string ResourceType,
    [property: JsonPropertyName("_webSocketMessages")] IReadOnlyList<HarWebSocketMessage> WebSocketMessages);

internal sealed record HarRequest(
    string Method, string Url, string HttpVersion, HarHeader[] Cookies, HarHeader[] Headers, HarHeader[] QueryString, int HeadersSize, int BodySize);

internal sealed record HarResponse(
    int Status, string StatusText, string HttpVersion, HarHeader[] Cookies, HarHeader[] Headers, HarContent Content, string RedirectURL,
    int HeadersSize, int BodySize);

internal sealed record HarHeader(string Name, string Value);

internal sealed record HarContent(int Size, string MimeType);

internal sealed record HarCache;

internal sealed record HarTimings(double Send, double Wait, double Receive);

/// <summary>One frame: <c>send</c> (client to server) or <c>receive</c>, at epoch seconds, opcode 1 (text).</summary>
internal sealed record HarWebSocketMessage(string Type, double Time, int Opcode, string Data);
