using System.Runtime.CompilerServices;
using System.Text.Json;
using BemsServer.Features.Directory;
using BemsServer.Protocol.Admin;

namespace BemsServer.Control;

/// <summary>
/// One frame as it crossed a client's socket, copied out of the journal's ring for a query. <c>Direction</c> is
/// <c>in</c> (client to server) or <c>out</c>; <c>Kind</c> is request, response, complete, event, messageUpdate or
/// error; <c>Answers</c> is the request id a response, completion or error answers. The JSON (and the id read from it)
/// is parsed the first time something looks at it.
/// </summary>
internal sealed class JournalEntry(long seq, JournalHeader header, byte[] utf8)
{
    private StrongBox<JsonElement>? _frame;

    /// <summary>The journal-wide order, given when the frame was recorded.</summary>
    public long Seq { get; } = seq;

    public DateTimeOffset Time => header.Time;
    public string Tenant => header.Tenant;
    public string Connection => header.Connection;
    public string? Session => header.Session;
    public string? User => header.User;
    public string Direction => header.Direction;
    public string Kind => header.Kind;
    public string? Method => header.Method;

    public string? Id => Frame.ValueKind == JsonValueKind.Object && Frame.TryGetProperty("id", out var id)
        ? id.ValueKind switch
        {
            JsonValueKind.String => id.GetString(),
            JsonValueKind.Null => null,
            _ => id.GetRawText(),
        }
        : null;

    public string? Answers => Kind is "response" or "complete" or "error" ? Id : null;

    /// <summary>The frame's text exactly as it crossed the socket.</summary>
    public string Text => System.Text.Encoding.UTF8.GetString(utf8);

    /// <summary>The frame as JSON; malformed input is kept as the text it was.</summary>
    public JsonElement Frame
    {
        get
        {
            // Two queries racing may both parse; both results are equal, and nothing is locked on the way in.
            var frame = Volatile.Read(ref _frame);
            if (frame is null)
            {
                frame = new StrongBox<JsonElement>(Parse(utf8));
                Volatile.Write(ref _frame, frame);
            }
            return frame.Value;
        }
    }

    private static JsonElement Parse(byte[] utf8)
    {
        try
        {
            using var document = JsonDocument.Parse(utf8);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return JsonSerializer.SerializeToElement(System.Text.Encoding.UTF8.GetString(utf8));
        }
    }
}

/// <summary>How a <see cref="JournalFilter"/> (the admin API's contract) matches the journal's entries.</summary>
internal static class JournalFilterMatching
{
    public static bool Matches(this JournalFilter filter, JournalEntry e) =>
        e.Seq > filter.After
        && Is(filter.Direction, e.Direction, StringComparison.OrdinalIgnoreCase)
        && Is(filter.Kind, e.Kind, StringComparison.OrdinalIgnoreCase)
        && Is(filter.Method, e.Method, StringComparison.Ordinal)
        && Is(filter.User, e.User, StringComparison.OrdinalIgnoreCase)
        && Is(filter.Session, e.Session, StringComparison.Ordinal)
        && Is(filter.Connection, e.Connection, StringComparison.Ordinal)
        && Is(filter.Id, e.Id, StringComparison.Ordinal)
        && Is(filter.Answers, e.Answers, StringComparison.Ordinal)
        && (filter.Since is null || e.Time >= filter.Since)
        && (filter.Until is null || e.Time <= filter.Until)
        && (filter.Contains is null || e.Frame.GetRawText().Contains(filter.Contains, StringComparison.Ordinal));

    private static bool Is(string? wanted, string? actual, StringComparison comparison) =>
        wanted is null || string.Equals(wanted, actual, comparison)
        // Users match in any accepted spelling (sip: or bare).
        || (comparison == StringComparison.OrdinalIgnoreCase && actual is not null
            && ContactAddress.TryNormalize(wanted, out var key) && key == actual);
}

/// <summary>A page of the journal: the matching frames, plus what the journal dropped and its latest sequence number.</summary>
internal sealed record JournalPage(long Dropped, long LastSeq, IReadOnlyList<JournalEntry> Entries);
