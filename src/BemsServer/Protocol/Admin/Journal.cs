namespace BemsServer.Protocol.Admin;

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
}

/// <summary>The journal's query string (<c>GET journal</c>, <c>GET journal/wait</c>): a <see cref="JournalFilter"/>, every field optional.</summary>
public sealed record JournalQuery(
    string? Direction, string? Kind, string? Method, string? User, string? Session, string? Connection, string? Id, string? Answers,
    long? After, DateTimeOffset? Since, DateTimeOffset? Until, string? Contains)
{
    public JournalFilter ToFilter() => new()
    {
        Direction = Direction, Kind = Kind, Method = Method, User = User, Session = Session, Connection = Connection,
        Id = Id, Answers = Answers, After = After ?? 0, Since = Since, Until = Until, Contains = Contains,
    };
}
