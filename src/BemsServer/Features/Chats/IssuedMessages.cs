using System.Globalization;

namespace BemsServer.Features.Chats;

/// <summary>
/// A tenant's server message ids (<c>"1"</c>, <c>"2"</c>, …) and the user each of the newest <see cref="Capacity"/> went to,
/// so that MessageAck accepts only an acknowledgement by the recipient (any of its devices). The ring grows with the
/// tenant's traffic (from 64 entries, doubling) and then keeps the newest ids: an id older than that reads as unknown.
/// </summary>
internal sealed class IssuedMessages
{
    /// <summary>Ids remembered per tenant: far more than any client leaves unacknowledged.</summary>
    public const int Capacity = 16_384;

    private const int First = 64;

    private readonly Lock _gate = new();
    private string[] _recipients = [];
    private long _last;

    /// <summary>Numbers the next message, given to the user <paramref name="recipientKey"/> (on the wire as its decimal digits).</summary>
    public long Issue(string recipientKey)
    {
        long id;
        lock (_gate)
        {
            id = ++_last;
            if (id > _recipients.Length && _recipients.Length < Capacity) Grow();
            _recipients[id % _recipients.Length] = recipientKey;
        }
        return id;
    }

    /// <summary>Whether the server issued <paramref name="messageId"/> (still remembered) to the user <paramref name="userKey"/>.</summary>
    public bool IsFor(string messageId, string userKey)
    {
        if (!long.TryParse(messageId, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1) return false;
        lock (_gate)
            return n <= _last && n > _last - _recipients.Length && string.Equals(_recipients[n % _recipients.Length], userKey, StringComparison.Ordinal);
    }

    private void Grow()
    {
        var grown = new string[Math.Min(Capacity, Math.Max(First, _recipients.Length * 2))];
        for (var id = Math.Max(1, _last - _recipients.Length); id < _last; id++)
            grown[id % grown.Length] = _recipients[id % _recipients.Length];
        _recipients = grown;
    }
}
