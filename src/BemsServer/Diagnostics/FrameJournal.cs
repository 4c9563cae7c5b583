using System.Buffers;
using System.Text.Json;
using System.Threading.Channels;
using BemsServer.Admin;
using BemsServer.Dispatch;
using BemsServer.Features.Sessions;
using BemsServer.Protocol;
using BemsServer.Transport;
using Microsoft.Extensions.Options;

namespace BemsServer.Diagnostics;

/// <summary>Called by the transport with each inbound message once it has been read and checked.</summary>
public delegate void InboundObserver(ReadOnlySpan<byte> utf8, in InboundRequest request);

/// <summary>
/// Records every frame that crosses a client socket. The transport's hooks only copy the bytes and post them to a
/// bounded channel; this background service numbers them, reads their ids and files them in their tenant's
/// <see cref="TenantJournal"/>. When the loop falls behind, frames are dropped (and counted) instead of slowing clients.
/// </summary>
public sealed class FrameJournal(IOptions<JournalOptions> options, TimeProvider time) : BackgroundService
{
    private readonly int _capacity = options.Value.Capacity;
    private readonly Channel<Raw> _pending = Channel.CreateBounded<Raw>(
        new BoundedChannelOptions(Math.Max(1024, options.Value.Capacity)) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite },
        static dropped => dropped.Connection.Tenant.Control.Journal.CountDropped());
    private long _seq;

    public bool Enabled => _capacity > 0;

    /// <summary>The outbox hook for one connection (null when the journal is off).</summary>
    public Action<OutboundFrame, ReadOnlySequence<byte>>? Outbound(ClientConnection connection) => Enabled
        ? (frame, bytes) => _pending.Writer.TryWrite(new Raw(connection, connection.Session, frame, null, bytes.ToArray(), time.GetUtcNow()))
        : null;

    /// <summary>The message handler hook for one connection (null when the journal is off).</summary>
    public InboundObserver? Inbound(ClientConnection connection) => Enabled
        ? (ReadOnlySpan<byte> utf8, in InboundRequest request) =>
            _pending.Writer.TryWrite(new Raw(connection, connection.Session, null, request.Method, utf8.ToArray(), time.GetUtcNow()))
        : null;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var raw in _pending.Reader.ReadAllAsync(stoppingToken))
                raw.Connection.Tenant.Control.Journal.Append(ToEntry(++_seq, raw), _capacity);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static JournalEntry ToEntry(long seq, Raw raw)
    {
        JsonElement frame;
        try
        {
            using var document = JsonDocument.Parse(raw.Bytes);
            frame = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            // Malformed input is journaled as the text it was.
            frame = AsJsonString(raw.Bytes);
        }
        var id = frame.ValueKind == JsonValueKind.Object && frame.TryGetProperty("id", out var idElement)
            ? idElement.ValueKind == JsonValueKind.String ? idElement.GetString() : idElement.ValueKind == JsonValueKind.Null ? null : idElement.GetRawText()
            : null;
        var (kind, answers) = raw.Frame switch
        {
            null => ("request", null),
            ResponseFrame or LegacyStatusFrame => ("response", id),
            CompletionFrame => ("complete", id),
            EventFrame => ("event", null),
            MessageUpdateFrame => ("messageUpdate", null),
            _ => ("error", id),
        };
        var method = raw.Frame?.Method ?? raw.InboundMethod;
        return new JournalEntry(seq, raw.Time, raw.Connection.Tenant.Name, raw.Connection.Id, raw.Session?.Id, raw.Session?.User.Key,
            raw.Frame is null ? "in" : "out", kind, string.IsNullOrEmpty(method) ? null : method, id, answers, frame);
    }

    private static JsonElement AsJsonString(byte[] bytes)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer)) writer.WriteStringValue(System.Text.Encoding.UTF8.GetString(bytes));
        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    private sealed record Raw(ClientConnection Connection, Session? Session, OutboundFrame? Frame, string? InboundMethod, byte[] Bytes, DateTimeOffset Time);
}
