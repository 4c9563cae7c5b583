using System.Text;
using System.Text.Json;

namespace BemsServer.Bench.Client;

/// <summary>Builders for the few BEMS requests the bench sends.</summary>
internal static class Requests
{
    public static byte[] BeginSession(long id, string user) =>
        Encode($$"""{"id":"c{{id}}","method":"BeginSession","params":{"gdAuthToken":{{Quote(user)}}},"jsonrpc":"2.0"}""");

    public static byte[] StartChat(long id, string contactUser) =>
        Encode($$"""{"id":"c{{id}}","method":"StartChat","params":{"contactId":{{Quote("sip:" + contactUser)}}},"jsonrpc":"2.0"}""");

    public static byte[] AcceptChat(long id, string requestId) =>
        Encode($$"""{"id":"c{{id}}","method":"AcceptChat","params":{"requestId":{{Quote(requestId)}}},"jsonrpc":"2.0"}""");

    private static byte[] Encode(string s) => Encoding.UTF8.GetBytes(s);

    private static string Quote(string s) => JsonSerializer.Serialize(s);
}

/// <summary>
/// A pre-encoded SendMessage request whose three 10-digit numbers (request id,
/// the sequence in the message text, the client messageId) are overwritten in
/// place, so every frame of a run has the same size and building one allocates nothing.
/// The message text starts with "bm&lt;seq&gt;" so the recipient's MessageReceived
/// can be matched to its send.
/// </summary>
internal sealed class SendMessageTemplate
{
    public const string Filler = "The quick brown fox jumps over the lazy dog.";
    private const string Placeholder = "0000000000";

    private readonly byte[] _buffer;
    private readonly int _idOffset;
    private readonly int _seqOffset;
    private readonly int _messageIdOffset;

    public SendMessageTemplate(string recipientUser)
    {
        var json = $$"""{"id":"c{{Placeholder}}","method":"SendMessage","params":{"contactId":{{JsonSerializer.Serialize(recipientUser)}},"message":"bm{{Placeholder}} {{Filler}}","messageId":"m{{Placeholder}}"},"jsonrpc":"2.0"}""";
        _buffer = Encoding.UTF8.GetBytes(json);
        var span = _buffer.AsSpan();
        var p = Encoding.UTF8.GetBytes(Placeholder);
        _idOffset = span.IndexOf(p);
        _seqOffset = _idOffset + p.Length + span[(_idOffset + p.Length)..].IndexOf(p);
        _messageIdOffset = _seqOffset + p.Length + span[(_seqOffset + p.Length)..].IndexOf(p);
    }

    public int Length => _buffer.Length;

    /// <summary>Writes <paramref name="seq"/> into the frame; the result is valid until the next call.</summary>
    public ReadOnlyMemory<byte> Write(long seq)
    {
        WriteDigits(_buffer.AsSpan(_idOffset, 10), seq);
        WriteDigits(_buffer.AsSpan(_seqOffset, 10), seq);
        WriteDigits(_buffer.AsSpan(_messageIdOffset, 10), seq);
        return _buffer;
    }

    private static void WriteDigits(Span<byte> target, long value)
    {
        for (var i = target.Length - 1; i >= 0; i--)
        {
            target[i] = (byte)('0' + (value % 10));
            value /= 10;
        }
    }
}
