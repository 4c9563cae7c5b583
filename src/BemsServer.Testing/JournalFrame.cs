using System.Text.Json;

namespace BemsServer.Testing;

/// <summary>One frame of the tenant's journal, as <c>GET /admin/journal</c> lists it (docs/admin-api.md).</summary>
/// <param name="Seq">Journal order; pass it as <c>After</c> to wait only for later frames.</param>
/// <param name="Time">When it crossed the socket, on the server's clock.</param>
/// <param name="Tenant">The tenant.</param>
/// <param name="Connection">The connection.</param>
/// <param name="Session">The session it belonged to, if any.</param>
/// <param name="User">The signed-in user, if any.</param>
/// <param name="Direction"><c>in</c> or <c>out</c>.</param>
/// <param name="Kind"><c>request</c>, <c>response</c>, <c>complete</c>, <c>event</c>, <c>messageUpdate</c> or <c>error</c>.</param>
/// <param name="Method">The method it concerns.</param>
/// <param name="Id">The frame's id.</param>
/// <param name="Answers">The request id a response, completion or error answers.</param>
/// <param name="Frame">The frame itself.</param>
public sealed record JournalFrame(long Seq, DateTimeOffset Time, string Tenant, string Connection, string? Session, string? User,
    string Direction, string Kind, string? Method, string? Id, string? Answers, JsonElement Frame);

/// <summary>A journal query's answer: the frames, and how many were dropped for capacity.</summary>
/// <param name="Dropped">Frames dropped (oldest first) since the journal was last cleared.</param>
/// <param name="LastSeq">The last journal sequence number given.</param>
/// <param name="Entries">The matching frames, in journal order.</param>
public sealed record JournalFrames(long Dropped, long LastSeq, IReadOnlyList<JournalFrame> Entries);
