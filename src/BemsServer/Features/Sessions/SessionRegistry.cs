using System.Collections.Concurrent;
using BemsServer.Dispatch;

namespace BemsServer.Features.Sessions;

/// <summary>A tenant's signed-in sessions by user: the fan-out list for events addressed to a user (all of their devices).</summary>
public sealed class SessionRegistry
{
    private readonly ConcurrentDictionary<string, Session[]> _byUser = new(StringComparer.Ordinal);
    private long _nextId;

    public string NextSessionId() => "sess-" + Interlocked.Increment(ref _nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public void Register(Session session) =>
        _byUser.AddOrUpdate(session.User.Key, static (_, s) => [s], static (_, list, s) => [.. list, s], session);

    public void Unregister(Session session)
    {
        while (_byUser.TryGetValue(session.User.Key, out var list))
        {
            var remaining = Array.FindAll(list, s => !ReferenceEquals(s, session));
            if (remaining.Length == list.Length) return;
            var updated = remaining.Length == 0
                ? _byUser.TryRemove(new KeyValuePair<string, Session[]>(session.User.Key, list))
                : _byUser.TryUpdate(session.User.Key, remaining, list);
            if (updated) return;
        }
    }

    /// <summary>The session's connection closed without TerminateSession: today the session simply ends.</summary>
    public void Disconnected(Session session) => Unregister(session);

    /// <summary>Every session of the user; empty when the user is offline.</summary>
    public IReadOnlyList<IFrameTarget> TargetsOf(string userKey) =>
        _byUser.TryGetValue(userKey, out var list) ? list : [];

    public bool IsOnline(string userKey) => _byUser.ContainsKey(userKey);

    public IEnumerable<Session> All => _byUser.Values.SelectMany(static s => s);

    public int Count => _byUser.Values.Sum(static s => s.Length);
}
