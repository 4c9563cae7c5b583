using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using BemsServer.Protocol.Data;

namespace BemsServer.Protocol;

/// <summary>
/// Writes frames in the BEMS envelope. The per-session numbering (sequence and server ids) is assigned here, at write
/// time, so that both increase in wire order.
/// </summary>
internal static class FrameSerializer
{
    /// <summary>How frames are written: non-ASCII text as UTF-8 (as the documentation's samples show it), no validation.</summary>
    public static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    /// <summary>An allowance for a frame's envelope (id, sequence, jsonrpc, member names) in <see cref="OutboundFrame.EstimatedBytes"/>.</summary>
    public const int EnvelopeBytes = 128;

    [ThreadStatic] private static ArrayBufferWriter<byte>? t_payloadBuffer;
    [ThreadStatic] private static Utf8JsonWriter? t_payloadWriter;

    private static readonly JsonEncodedText IdName = JsonEncodedText.Encode("id");
    private static readonly JsonEncodedText ErrorName = JsonEncodedText.Encode("error");
    private static readonly JsonEncodedText ResultName = JsonEncodedText.Encode("result");
    private static readonly JsonEncodedText DataName = JsonEncodedText.Encode("data");
    private static readonly JsonEncodedText JsonRpcName = JsonEncodedText.Encode("jsonrpc");
    private static readonly JsonEncodedText JsonRpcVersion = JsonEncodedText.Encode("2.0");
    private static readonly JsonEncodedText BackgroundName = JsonEncodedText.Encode("background");
    private static readonly JsonEncodedText SequenceName = JsonEncodedText.Encode("sequence");
    private static readonly JsonEncodedText CodeName = JsonEncodedText.Encode("code");
    private static readonly JsonEncodedText MessageName = JsonEncodedText.Encode("message");
    private static readonly JsonEncodedText MethodName = JsonEncodedText.Encode("method");
    private static readonly JsonEncodedText StateName = JsonEncodedText.Encode("state");

    public static void Write(Utf8JsonWriter w, OutboundFrame frame, WireCounters counters)
    {
        if (frame is PreparedFrame prepared)
        {
            w.WriteRawValue(prepared.Utf8, skipInputValidation: true); // numbered where it was serialized
            return;
        }
        w.WriteStartObject();
        switch (frame)
        {
            case ResponseFrame r:
                WriteId(w, r.Id);
                w.WriteNull(ErrorName);
                WriteResultData(w, r);
                w.WriteString(JsonRpcName, JsonRpcVersion);
                if (r.Background is { } background) w.WriteBoolean(BackgroundName, background);
                break;
            case CompletionFrame c:
                WriteId(w, c.Id);
                if (c.Style == CompletionStyle.Sequenced) w.WriteNumber(SequenceName, counters.NextSequence());
                else w.WriteNull(ErrorName);
                WriteResultData(w, c);
                w.WriteString(JsonRpcName, JsonRpcVersion);
                break;
            case EventFrame e:
                w.WriteString(IdName, counters.NextServerId(Wire.EventIdPrefix));
                w.WriteNumber(SequenceName, counters.NextSequence());
                if (e.ErrorNull) w.WriteNull(ErrorName);
                WriteResultData(w, e);
                w.WriteString(JsonRpcName, JsonRpcVersion);
                break;
            case MessageUpdateFrame m:
                w.WriteString(IdName, counters.NextServerId(Wire.MessageUpdateIdPrefix));
                w.WritePropertyName(ErrorName);
                w.WriteStartObject();
                w.WritePropertyName(DataName);
                w.WriteRawValue(m.Payload, skipInputValidation: true);
                w.WriteEndObject();
                w.WriteString(JsonRpcName, JsonRpcVersion);
                break;
            case ErrorFrame f:
                WriteId(w, f.Id);
                w.WriteNull(ResultName);
                w.WritePropertyName(ErrorName);
                w.WriteStartObject();
                w.WriteNumber(CodeName, f.Code);
                w.WriteString(MessageName, f.Message);
                if (f.Data is not null)
                {
                    w.WritePropertyName(DataName);
                    w.WriteRawValue(f.Payload, skipInputValidation: true);
                }
                w.WriteEndObject();
                w.WriteString(JsonRpcName, JsonRpcVersion);
                break;
            case LegacyStatusFrame l:
                WriteId(w, l.Id);
                w.WriteString(MethodName, l.Method);
                w.WritePropertyName(ResultName);
                w.WriteRawValue(l.Payload, skipInputValidation: true);
                w.WriteString(StateName, Wire.Complete);
                w.WriteString(JsonRpcName, JsonRpcVersion);
                break;
            default:
                throw new ArgumentException($"Unknown frame type {frame.GetType().Name}", nameof(frame));
        }
        w.WriteEndObject();
    }

    private static void WriteResultData(Utf8JsonWriter w, OutboundFrame frame)
    {
        w.WritePropertyName(ResultName);
        w.WriteStartObject();
        w.WritePropertyName(DataName);
        w.WriteRawValue(frame.Payload, skipInputValidation: true);
        w.WriteEndObject();
    }

    /// <summary>Serializes what a frame carries besides its envelope (see <see cref="OutboundFrame.Payload"/>); empty for an error without data.</summary>
    internal static byte[] SerializePayload(OutboundFrame frame)
    {
        var buffer = t_payloadBuffer ??= new ArrayBufferWriter<byte>(512);
        buffer.ResetWrittenCount();
        var w = t_payloadWriter ??= new Utf8JsonWriter(buffer, WriterOptions);
        w.Reset(buffer);
        switch (frame)
        {
            case ResponseFrame r: WriteData(w, r.Data); break;
            case CompletionFrame c: WriteData(w, c.Data); break;
            case EventFrame e: WriteData(w, e.Data); break;
            case MessageUpdateFrame m: WriteData(w, m.Data); break;
            case ErrorFrame { Data: { } data }: JsonSerializer.Serialize(w, data, BemsJsonContext.Default.ErrorData); break;
            case ErrorFrame: return [];
            case LegacyStatusFrame l: JsonSerializer.Serialize(w, l.Result, BemsJsonContext.Default.LegacyStatus); break;
            case PreparedFrame p: return p.Utf8;
            default: throw new ArgumentException($"Unknown frame type {frame.GetType().Name}", nameof(frame));
        }
        w.Flush();
        var bytes = buffer.WrittenSpan.ToArray();
        if (buffer.Capacity > 64 * 1024) t_payloadBuffer = null; // do not keep a large message's buffer per thread
        return bytes;
    }

    private static void WriteData(Utf8JsonWriter w, BemsData data)
    {
        var info = BemsJsonContext.Default.GetTypeInfo(data.GetType())
            ?? throw new InvalidOperationException($"{data.GetType().Name} is not registered in {nameof(BemsJsonContext)}");
        JsonSerializer.Serialize(w, data, info);
    }

    private static void WriteId(Utf8JsonWriter w, RequestId id)
    {
        if (id.Number is { } number) w.WriteNumber(IdName, number);
        else if (id.String is { } text) w.WriteString(IdName, text);
        else w.WriteNull(IdName);
    }
}

/// <summary>A session's wire numbering: a strictly increasing sequence and a server-id counter shared by event kinds.</summary>
internal sealed class WireCounters(long sequenceBase)
{
    private long _sequence = sequenceBase;
    private long _serverId;

    public long NextSequence() => ++_sequence;

    public string NextServerId(string prefix) => string.Concat(prefix, (++_serverId).ToString(System.Globalization.CultureInfo.InvariantCulture));
}
