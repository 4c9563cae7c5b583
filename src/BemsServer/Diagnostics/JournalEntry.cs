using System.Text.Json;

namespace BemsServer.Diagnostics;

/// <summary>
/// One frame as it crossed a client's socket. <c>Direction</c> is <c>in</c> (client to server) or <c>out</c>;
/// <c>Kind</c> is request, response, complete, event, messageUpdate or error; <c>Answers</c> is the request id a
/// response, completion or error answers.
/// </summary>
public sealed record JournalEntry(
    long Seq, DateTimeOffset Time, string Tenant, string Connection, string? Session, string? User,
    string Direction, string Kind, string? Method, string? Id, string? Answers, JsonElement Frame);

/// <summary>What a journal query or a wait-for matches; every given field must match (ordinal, ids case-sensitive).</summary>
public sealed record JournalFilter
{
    public string? Direction { get; init; }
    public string? Kind { get; init; }
    public string? Method { get; init; }
    public string? User { get; init; }
    public string? Session { get; init; }
    public string? Connection { get; init; }
    public string? Id { get; init; }
    public string? Answers { get; init; }

    /// <summary>Only frames after this journal sequence number (exclusive).</summary>
    public long After { get; init; }

    public DateTimeOffset? Since { get; init; }
    public DateTimeOffset? Until { get; init; }

    /// <summary>Substring of the frame's JSON text.</summary>
    public string? Contains { get; init; }

    public bool Matches(JournalEntry e) =>
        e.Seq > After
        && Is(Direction, e.Direction, StringComparison.OrdinalIgnoreCase)
        && Is(Kind, e.Kind, StringComparison.OrdinalIgnoreCase)
        && Is(Method, e.Method, StringComparison.Ordinal)
        && Is(User, e.User, StringComparison.OrdinalIgnoreCase)
        && Is(Session, e.Session, StringComparison.Ordinal)
        && Is(Connection, e.Connection, StringComparison.Ordinal)
        && Is(Id, e.Id, StringComparison.Ordinal)
        && Is(Answers, e.Answers, StringComparison.Ordinal)
        && (Since is null || e.Time >= Since)
        && (Until is null || e.Time <= Until)
        && (Contains is null || e.Frame.GetRawText().Contains(Contains, StringComparison.Ordinal));

    private static bool Is(string? wanted, string? actual, StringComparison comparison) =>
        wanted is null || string.Equals(wanted, actual, comparison)
        // Users match in any accepted spelling (sip: or bare).
        || (comparison == StringComparison.OrdinalIgnoreCase && actual is not null
            && Features.Directory.ContactAddress.TryNormalize(wanted, out var key) && key == actual);
}

/// <summary>A page of the journal: the matching frames, plus what the journal dropped and its latest sequence number.</summary>
public sealed record JournalPage(long Dropped, long LastSeq, IReadOnlyList<JournalEntry> Entries);
