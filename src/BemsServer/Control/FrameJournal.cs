using System.Buffers;
using BemsServer.Dispatch;
using BemsServer.Protocol;
using Microsoft.Extensions.Options;

namespace BemsServer.Control;

/// <summary>Called by the transport with each inbound message once it has been read and checked.</summary>
internal delegate void InboundObserver(ReadOnlySpan<byte> utf8, in InboundRequest request);

/// <summary>
/// Records every frame that crosses a client socket into its tenant's <see cref="TenantJournal"/>: the transport's hooks
/// write the bytes into the tenant's ring on the thread that sent or read them, numbered journal-wide. Nothing is
/// parsed until a query asks, and nothing is allocated per frame unless the console's <see cref="JournalFeed"/> is
/// being watched (it gets a copy of each entry).
/// </summary>
internal sealed class FrameJournal(IOptions<JournalOptions> options, TimeProvider time, JournalFeed feed)
{
    private long _seq;

    /// <summary>The connection name of entries that crossed no socket: the HTTP calls of the BEMS services.</summary>
    public const string HttpConnection = "http";

    /// <summary>Frames kept per tenant (<c>Bems:Journal:Capacity</c>).</summary>
    public int Capacity { get; } = options.Value.Capacity;

    /// <summary>Bytes kept per tenant (<c>Bems:Journal:MaxBytes</c>).</summary>
    public int MaxBytes { get; } = options.Value.MaxBytes;

    public bool Enabled => Capacity > 0;

    /// <summary>Files an HTTP call's request or answer of the BEMS services beside the frames (connection <see cref="HttpConnection"/>).</summary>
    public void RecordHttp(TenantJournal journal, string tenant, string? user, string direction, string kind, string method, byte[] utf8)
    {
        if (!Enabled) return;
        var header = new JournalHeader(time.GetUtcNow(), tenant, HttpConnection, null, user, direction, kind, method);
        feed.Offer(journal.Record(this, header, utf8, feed.Active));
    }

    /// <summary>The outbox hook for one connection, filing in its tenant's journal (null when the journal is off).</summary>
    public Action<OutboundFrame, ReadOnlySequence<byte>>? Outbound(ClientConnection connection, TenantJournal journal) => Enabled
        ? (frame, bytes) => feed.Offer(journal.Record(this, Header(connection, "out", KindOf(frame), frame.Method), bytes, feed.Active))
        : null;

    /// <summary>The message handler hook for one connection, filing in its tenant's journal (null when the journal is off).</summary>
    public InboundObserver? Inbound(ClientConnection connection, TenantJournal journal) => Enabled
        ? (ReadOnlySpan<byte> utf8, in InboundRequest request) =>
            feed.Offer(journal.Record(this, Header(connection, "in", "request", request.Method), utf8, feed.Active))
        : null;

    /// <summary>The next journal-wide sequence number.</summary>
    internal long NextSeq() => Interlocked.Increment(ref _seq);

    private JournalHeader Header(ClientConnection connection, string direction, string kind, string? method)
    {
        var session = connection.Session;
        return new JournalHeader(time.GetUtcNow(), connection.Tenant.Name, connection.Id, session?.Id, session?.User.Key,
            direction, kind, string.IsNullOrEmpty(method) ? null : method);
    }

    private static string KindOf(OutboundFrame frame) => frame switch
    {
        ResponseFrame or LegacyStatusFrame => "response",
        CompletionFrame => "complete",
        EventFrame => "event",
        MessageUpdateFrame => "messageUpdate",
        _ => "error",
    };
}
