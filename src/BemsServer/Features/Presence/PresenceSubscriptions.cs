using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using BemsServer.Features.Background;
using BemsServer.Features.Directory;

namespace BemsServer.Features.Presence;

/// <summary>How a subscribe ended.</summary>
internal enum SubscribeOutcome
{
    Subscribed,
    Unsubscribed,

    /// <summary>The user already holds <see cref="PresenceOptions.MaxSubscriptionsPerUser"/> other subscriptions.</summary>
    TooMany,
}

/// <summary>
/// A tenant's REST presence subscriptions (<c>/presence/subscriptions</c>), keyed by user and notify key, with the reverse
/// index the presence service's changes go through: a watched contact's change moves its subscriptions' sequences on and
/// sends a push to each subscriber's GNP token. A subscription neither polled nor renewed within
/// <see cref="PresenceOptions.SubscriptionTimeout"/> ends, on the injected clock.
/// </summary>
internal sealed class PresenceSubscriptions(TimeProvider time, PresenceOptions options, PushLog pushes)
{
    private readonly Lock _structure = new();
    private readonly Dictionary<(string User, string Notify), PresenceSubscription> _all = [];
    private readonly Dictionary<string, int> _perUser = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<PresenceSubscription, byte>> _byContact = new(StringComparer.Ordinal);

    public PresenceOptions Options => options;

    public int Count
    {
        get
        {
            lock (_structure) return _all.Count;
        }
    }

    /// <summary>
    /// Subscribes, replaces the contacts of the user's subscription of that notify key, or (no contacts) ends it. Contacts
    /// new to the subscription count as changed now; the token, when given, is where its changes are pushed.
    /// </summary>
    public SubscribeOutcome Subscribe(string userKey, string notify, IReadOnlyList<string> contacts, string? gnpToken, string? deviceId)
    {
        lock (_structure)
        {
            var found = _all.GetValueOrDefault((userKey, notify));
            if (contacts.Count == 0)
            {
                if (found is not null) RemoveLocked(found);
                return SubscribeOutcome.Unsubscribed;
            }
            if (found is null)
            {
                if (_perUser.GetValueOrDefault(userKey) >= options.MaxSubscriptionsPerUser) return SubscribeOutcome.TooMany;
                found = new PresenceSubscription(userKey, notify);
                _all[(userKey, notify)] = found;
                _perUser[userKey] = _perUser.GetValueOrDefault(userKey) + 1;
                found.Expiry = time.CreateTimer(s => Expire((PresenceSubscription)s!), found, options.SubscriptionTimeout, Timeout.InfiniteTimeSpan);
            }
            List<PresenceSubscription.Watched> before;
            lock (found.Gate)
            {
                before = found.Contacts;
                var sequence = ++found.Sequence;
                var kept = before.ToDictionary(static w => w.Key ?? w.Id, StringComparer.Ordinal);
                var next = new List<PresenceSubscription.Watched>(contacts.Count);
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var id in contacts)
                {
                    var key = ContactAddress.TryNormalize(id, out var k) ? k : null;
                    if (!seen.Add(key ?? id)) continue;
                    next.Add(kept.TryGetValue(key ?? id, out var old) && old.Id == id ? old : new PresenceSubscription.Watched(id, key, sequence));
                }
                found.Contacts = next;
                found.GnpToken = gnpToken ?? found.GnpToken;
                found.DeviceId = deviceId ?? found.DeviceId;
                found.LastSeen = time.GetUtcNow();
                found.Expiry!.Change(options.SubscriptionTimeout, Timeout.InfiniteTimeSpan);
            }
            // Only the contacts that left are taken out of the index and only the new ones put in: a contact kept across
            // the replace stays indexed throughout, so none of its changes meanwhile is missed (neither counted nor pushed).
            var was = KeysOf(before);
            var now = KeysOf(found.Contacts);
            foreach (var gone in was.Except(now)) UnindexLocked(found, gone);
            foreach (var added in now.Except(was)) _byContact.GetOrAdd(added, static _ => new()).TryAdd(found, 0);
            return SubscribeOutcome.Subscribed;
        }
    }

    /// <summary>
    /// A poll: the sequence now and the contacts changed after <paramref name="since"/> (all of them without one, or for a
    /// sequence this subscription never gave); null when the user has no subscription of that key. Renews the subscription,
    /// and a token, when given, is where its changes are pushed from now on.
    /// </summary>
    public (string Sequence, IReadOnlyList<(string Id, string? Key)> Contacts)? Poll(string userKey, string notify, string? since, string? gnpToken = null)
    {
        PresenceSubscription? found;
        lock (_structure) found = _all.GetValueOrDefault((userKey, notify));
        if (found is null) return null;
        lock (found.Gate)
        {
            if (found.Ended) return null;
            found.GnpToken = gnpToken ?? found.GnpToken;
            found.LastSeen = time.GetUtcNow();
            found.Expiry!.Change(options.SubscriptionTimeout, Timeout.InfiniteTimeSpan);
            var after = long.TryParse(since, NumberStyles.None, CultureInfo.InvariantCulture, out var s) && s <= found.Sequence ? s : -1;
            return (found.Sequence.ToString(CultureInfo.InvariantCulture),
                [.. found.Contacts.Where(w => w.ChangedAt > after).Select(static w => (w.Id, w.Key))]);
        }
    }

    /// <summary>What watchers see of the contact changed: its subscriptions move on, and each subscriber with a token gets a push.</summary>
    public void OnChanged(string contactKey)
    {
        if (Index(contactKey) is not { IsEmpty: false } subscriptions) return;
        foreach (var subscription in subscriptions.Keys)
        {
            string sequence;
            string? token;
            string? device;
            lock (subscription.Gate)
            {
                if (subscription.Ended) continue;
                var next = ++subscription.Sequence;
                foreach (var watched in subscription.Contacts)
                    if (watched.Key == contactKey) watched.ChangedAt = next;
                sequence = next.ToString(CultureInfo.InvariantCulture);
                token = subscription.GnpToken;
                device = subscription.DeviceId;
            }
            if (token is null) continue;
            var text = $$"""{"service":"presence","notify":"{{JsonEncodedText.Encode(subscription.Notify)}}","sequence":"{{sequence}}"}""";
            pushes.Record(new PushRecord(time.GetUtcNow(), ContactAddress.ToUri(subscription.UserKey), null, device, token,
                "PresenceChanged", "", text, 0, PushSources.Presence));
        }
    }

    /// <summary>Ends every subscription and its expiry timer (the tenant is forgotten).</summary>
    public void Clear()
    {
        lock (_structure)
            foreach (var subscription in _all.Values.ToList()) RemoveLocked(subscription);
    }

    /// <summary>The subscriptions watching the contact (the index its changes go through); null when none does.</summary>
    internal ConcurrentDictionary<PresenceSubscription, byte>? Index(string contactKey) => _byContact.GetValueOrDefault(contactKey);

    private static HashSet<string> KeysOf(List<PresenceSubscription.Watched> contacts) =>
        [.. contacts.Where(static w => w.Key is not null).Select(static w => w.Key!)];

    private void Expire(PresenceSubscription subscription)
    {
        lock (_structure)
        {
            lock (subscription.Gate)
            {
                if (subscription.Ended) return;
                var idle = time.GetUtcNow() - subscription.LastSeen;
                if (idle < options.SubscriptionTimeout)
                {
                    subscription.Expiry!.Change(options.SubscriptionTimeout - idle, Timeout.InfiniteTimeSpan);
                    return;
                }
            }
            RemoveLocked(subscription);
        }
    }

    private void RemoveLocked(PresenceSubscription subscription)
    {
        List<PresenceSubscription.Watched> contacts;
        lock (subscription.Gate)
        {
            subscription.Ended = true;
            subscription.Expiry?.Dispose();
            contacts = subscription.Contacts;
        }
        _all.Remove((subscription.UserKey, subscription.Notify));
        var left = _perUser.GetValueOrDefault(subscription.UserKey) - 1;
        if (left <= 0) _perUser.Remove(subscription.UserKey);
        else _perUser[subscription.UserKey] = left;
        foreach (var key in KeysOf(contacts)) UnindexLocked(subscription, key);
    }

    /// <summary>Takes the subscription out of the contact's index, and the index away once empty (held lock: the structure's).</summary>
    private void UnindexLocked(PresenceSubscription subscription, string contactKey)
    {
        if (Index(contactKey) is not { } index) return;
        index.TryRemove(subscription, out _);
        if (index.IsEmpty) _byContact.TryRemove(new KeyValuePair<string, ConcurrentDictionary<PresenceSubscription, byte>>(contactKey, index));
    }
}
