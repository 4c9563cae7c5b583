using System.Buffers;
using System.Text.Json;
using System.Threading.Channels;
using BemsServer.Dispatch;
using BemsServer.Protocol;
using Microsoft.Extensions.Options;

namespace BemsServer.Control;

/// <summary>Called by the transport with each inbound message once it has been read and checked.</summary>
public delegate void InboundObserver(ReadOnlySpan<byte> utf8, in InboundRequest request);

/// <summary>
/// Records every frame that crosses a client socket. The transport's hooks copy the bytes into an entry and post it to
/// a bounded channel; this background service numbers the entries and files them in their tenant's
/// <see cref="TenantJournal"/>. Nothing is parsed until a query asks. When the loop falls behind, frames are dropped
/// (and counted) instead of slowing clients. Filed entries are offered to the console's <see cref="JournalFeed"/>.
/// </summary>
public sealed class FrameJournal(IOptions<JournalOptions> options, TimeProvider time, JournalFeed feed) : BackgroundService
{
    private readonly int _capacity = options.Value.Capacity;
    private readonly Channel<(TenantJournal Journal, JournalEntry Entry)> _pending =
        Channel.CreateBounded<(TenantJournal Journal, JournalEntry Entry)>(
            new BoundedChannelOptions(Math.Max(1024, options.Value.Capacity)) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite },
            static dropped => dropped.Journal.CountDropped());
    private long _seq;

    /// <summary>The connection name of entries that crossed no socket: the HTTP calls of the BEMS services.</summary>
    public const string HttpConnection = "http";

    public bool Enabled => _capacity > 0;

    /// <summary>Files an HTTP call's request or answer of the BEMS services beside the frames (connection <see cref="HttpConnection"/>).</summary>
    public void RecordHttp(TenantJournal journal, string tenant, string? user, string direction, string kind, string method, byte[] utf8)
    {
        if (Enabled) _pending.Writer.TryWrite((journal, new JournalEntry(time.GetUtcNow(), tenant, HttpConnection, null, user, direction, kind, method, utf8)));
    }

    /// <summary>The outbox hook for one connection, filing in its tenant's journal (null when the journal is off).</summary>
    public Action<OutboundFrame, ReadOnlySequence<byte>>? Outbound(ClientConnection connection, TenantJournal journal) => Enabled
        ? (frame, bytes) => Record(journal, connection, "out", KindOf(frame), frame.Method, bytes.ToArray())
        : null;

    /// <summary>The message handler hook for one connection, filing in its tenant's journal (null when the journal is off).</summary>
    public InboundObserver? Inbound(ClientConnection connection, TenantJournal journal) => Enabled
        ? (ReadOnlySpan<byte> utf8, in InboundRequest request) => Record(journal, connection, "in", "request", request.Method, utf8.ToArray())
        : null;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var (journal, entry) in _pending.Reader.ReadAllAsync(stoppingToken))
            {
                entry.Seq = ++_seq;
                journal.Append(entry, _capacity);
                feed.Offer(entry);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Record(TenantJournal journal, ClientConnection connection, string direction, string kind, string? method, byte[] utf8)
    {
        var session = connection.Session;
        _pending.Writer.TryWrite((journal, new JournalEntry(time.GetUtcNow(), connection.Tenant.Name, connection.Id, session?.Id,
            session?.User.Key, direction, kind, string.IsNullOrEmpty(method) ? null : method, utf8)));
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
