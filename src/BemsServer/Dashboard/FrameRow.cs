using System.Text.Json;
using BemsServer.Control;

namespace BemsServer.Dashboard;

/// <summary>One line of the console's frame list: what a person scans before opening the frame.</summary>
internal sealed record FrameRow(
    long Seq, DateTimeOffset Time, string Direction, string Kind, string Connection, string? User, string? Method, string? Id,
    string? State, string Preview)
{
    public const int PreviewLength = 120;

    public static FrameRow Of(JournalEntry e)
    {
        var frame = e.Frame;
        var http = e.Connection == FrameJournal.HttpConnection; // a BEMS service call: its status and body
        return new(e.Seq, e.Time, e.Direction, e.Kind, e.Connection, e.User, e.Method, e.Id,
            http ? HttpStatusOf(frame) : StateOf(frame), http ? HttpPreviewOf(frame, e.Kind) : PreviewOf(frame));
    }

    internal static string? StateOf(JsonElement frame) =>
        Path(frame, "result", "data", "state") is { ValueKind: JsonValueKind.String } state ? state.GetString() : null;

    /// <summary>A message's text, a presence, an error's message, a MessageUpdate's type/status, or the params in short.</summary>
    private static string PreviewOf(JsonElement frame)
    {
        if (frame.ValueKind != JsonValueKind.Object) return Cut(frame.ToString());
        if (Path(frame, "error", "message") is { ValueKind: JsonValueKind.String } error) return Cut(error.GetString()!);
        if (Path(frame, "error", "data") is { ValueKind: JsonValueKind.Object } update)
            return Cut($"{Text(update, "type")}/{Text(update, "status")} {Text(update, "messageId")}".Trim());
        var data = Path(frame, "params") ?? Path(frame, "result", "data");
        if (data is not { ValueKind: JsonValueKind.Object } d) return "";
        foreach (var name in (string[])["message", "presence", "personalMessage", "contactId", "status"])
            if (Text(d, name) is { Length: > 0 } text) return Cut(text);
        return Cut(d.GetRawText());
    }

    /// <summary>A service call's answer (ServiceJournal): its HTTP status, as a Connect answer's state.</summary>
    private static string? HttpStatusOf(JsonElement frame) =>
        Path(frame, "status") is { ValueKind: JsonValueKind.Number } status ? status.GetRawText() : null;

    /// <summary>A service call's body in short: its text, its JSON, or a refusal's problem detail.</summary>
    private static string HttpPreviewOf(JsonElement frame, string kind) => Path(frame, "body") switch
    {
        { ValueKind: JsonValueKind.String } text => Cut(text.GetString()!),
        { } problem when kind == "error" && Text(problem, "detail") is { } detail => Cut(detail),
        { } body => Cut(body.GetRawText()),
        null => "",
    };

    internal static JsonElement? Path(JsonElement element, params string[] names)
    {
        foreach (var name in names)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element)) return null;
        }
        return element;
    }

    internal static string? Text(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var v)
            ? v.ValueKind == JsonValueKind.String ? v.GetString() : v.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined ? null : v.GetRawText()
            : null;

    private static string Cut(string text) => text.Length <= PreviewLength ? text : text[..(PreviewLength - 1)] + "…";
}
