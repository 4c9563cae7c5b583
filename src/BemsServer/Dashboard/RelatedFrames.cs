using BemsServer.Control;
using BemsServer.Protocol.Admin;

namespace BemsServer.Dashboard;

/// <summary>
/// The frames of one request on one connection: the request, its PROCESSING, its COMPLETE or error, and, for a
/// SendMessage, the MessageUpdate that names its messageId.
/// </summary>
internal static class RelatedFrames
{
    public static IReadOnlyList<JournalEntry> Of(TenantJournal journal, JournalEntry entry)
    {
        var requestId = entry.Kind is "request" or "response" or "complete" or "error" ? entry.Id : null;
        var messageId = MessageIdOf(entry);
        if (requestId is null && messageId is null) return [];
        var sameConnection = journal.Query(new JournalFilter { Connection = entry.Connection }, int.MaxValue).Entries;
        if (messageId is null && requestId is not null)
            messageId = sameConnection.Where(e => e.Kind == "request" && e.Id == requestId).Select(MessageIdOf).LastOrDefault(static m => m is not null);
        if (requestId is null && messageId is not null)
            requestId = sameConnection.LastOrDefault(e => e.Kind == "request" && e.Method == "SendMessage" && MessageIdOf(e) == messageId)?.Id;
        return [.. sameConnection.Where(e => e.Seq != entry.Seq
            && ((requestId is not null && e.Kind is "request" or "response" or "complete" or "error" && e.Id == requestId)
                || (messageId is not null && e.Kind == "messageUpdate" && MessageIdOf(e) == messageId)))];
    }

    /// <summary>A SendMessage request's messageId, or a MessageUpdate's.</summary>
    public static string? MessageIdOf(JournalEntry e) => e switch
    {
        { Kind: "request", Method: "SendMessage" } => FrameRow.Path(e.Frame, "params") is { } p ? FrameRow.Text(p, "messageId") : null,
        { Kind: "messageUpdate" } => FrameRow.Path(e.Frame, "error", "data") is { } d ? FrameRow.Text(d, "messageId") : null,
        _ => null,
    };
}
