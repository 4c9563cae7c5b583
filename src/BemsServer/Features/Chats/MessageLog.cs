using System.Buffers;
using System.Globalization;
using System.Text;
using BemsServer.Diagnostics;
using BemsServer.Features.Directory;

namespace BemsServer.Features.Chats;

/// <summary>
/// The newest messages delivered in a chat, for the admin API (<c>Bems:Chat:MessageLog</c>): each message's text and
/// client id written as UTF-8 into one <see cref="ByteRing{THeader}"/>, beside a header of numbers and the sender (a
/// directory user, who outlives the chat). Nothing is kept per message as an object: kept as records and strings, every
/// message outlived the collector's youngest generation and died old, and under load those mid-life survivors were most
/// of each gen0 collection's pause (docs/performance.md, sixth round). Bounded in messages and in bytes
/// (<see cref="MaxBytes"/>), oldest first out; the views are decoded only when the admin API asks. Not thread-safe: its
/// chat's lock guards it.
/// </summary>
internal sealed class MessageLog(int capacity)
{
    /// <summary>
    /// Bytes of text (and client ids) a chat's log may hold: four times the largest message a client may send
    /// (<c>Bems:Transport:MaxMessageBytes</c>' default, 64 KiB), so any one message fits and no chat holds more than this.
    /// </summary>
    public const int MaxBytes = 256 * 1024;

    private ByteRing<Header>? _ring;

    /// <summary>Keeps a delivered message (server id <paramref name="id"/>), dropping the oldest beyond either bound.</summary>
    public void Add(long id, DirectoryUser from, string text, string clientMessageId, long timestamp)
    {
        // Encoded once, into a buffer large enough for any text, then copied into the ring at the length it came to.
        var buffer = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(text.Length + clientMessageId.Length));
        try
        {
            var textBytes = Encoding.UTF8.GetBytes(text, buffer);
            var length = textBytes + Encoding.UTF8.GetBytes(clientMessageId, buffer.AsSpan(textBytes));
            _ring ??= new ByteRing<Header>(capacity, MaxBytes);
            var at = _ring.Add(id, new Header(from, timestamp, textBytes), length);
            if (at >= 0) _ring.Write(at, buffer.AsSpan(0, length)); // -1: larger than the whole log, not kept (counted as dropped)
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The messages kept, oldest first, decoded.</summary>
    public IReadOnlyList<DeliveredMessage> ToList()
    {
        if (_ring is not { Count: > 0 } ring) return [];
        var messages = new DeliveredMessage[ring.Count];
        for (var i = 0; i < messages.Length; i++)
        {
            var header = ring.HeaderAt(i);
            var bytes = ring.BytesAt(i);
            messages[i] = new DeliveredMessage(ring.SeqAt(i).ToString(CultureInfo.InvariantCulture), header.From,
                Encoding.UTF8.GetString(bytes, 0, header.TextBytes), Encoding.UTF8.GetString(bytes, header.TextBytes, bytes.Length - header.TextBytes),
                header.Timestamp);
        }
        return messages;
    }

    private readonly record struct Header(DirectoryUser From, long Timestamp, int TextBytes);
}

/// <summary>A message as delivered in a chat: the server's message id, the sender, the text and the sender's own id.</summary>
internal sealed record DeliveredMessage(string Id, DirectoryUser From, string Text, string ClientMessageId, long Timestamp);
