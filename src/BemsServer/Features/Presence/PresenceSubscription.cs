namespace BemsServer.Features.Presence;

/// <summary>
/// One REST presence subscription: a user's named set of watched contacts, the sequence of its last change, and for
/// each contact the sequence at which it last changed (so a poll with a sequence answers only later changes). Guarded by
/// its own lock; its expiry timer is re-armed by every poll.
/// </summary>
internal sealed class PresenceSubscription(string userKey, string notify)
{
    public Lock Gate { get; } = new();
    public string UserKey { get; } = userKey;
    public string Notify { get; } = notify;

    // Written under Gate.
    public string? GnpToken { get; set; }
    public string? DeviceId { get; set; }
    public long Sequence { get; set; }
    public List<Watched> Contacts { get; set; } = [];
    public DateTimeOffset LastSeen { get; set; }
    public bool Ended { get; set; }
    public ITimer? Expiry { get; set; }

    /// <summary>A watched contact: the id as the client wrote it, its user key (null for an address the directory lacks).</summary>
    internal sealed class Watched(string id, string? key, long changedAt)
    {
        public string Id { get; } = id;
        public string? Key { get; } = key;
        public long ChangedAt { get; set; } = changedAt;
    }
}
