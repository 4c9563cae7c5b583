using System.Collections.Concurrent;
using BemsServer.Dispatch;

namespace BemsServer.Features.Sessions;

/// <summary>
/// A tenant's signed-in sessions by user: the fan-out list for events addressed to a user (all of their devices). A parked
/// session (see <see cref="Disconnected"/>) is kept for <paramref name="parkedTimeout"/> on <paramref name="time"/>.
/// </summary>
internal sealed class SessionRegistry(TimeProvider? time = null, TimeSpan? parkedTimeout = null)
{
    /// <summary>How long a parked session waits for a reconnect unless configured (<c>Bems:Session:ParkedTimeout</c>).</summary>
    public static readonly TimeSpan DefaultParkedTimeout = TimeSpan.FromMinutes(10);

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly TimeSpan _parkedTimeout = parkedTimeout ?? DefaultParkedTimeout;
    private readonly ConcurrentDictionary<string, Session[]> _byUser = new(StringComparer.Ordinal);
    private long _nextId;

    public string NextSessionId() => "sess-" + Interlocked.Increment(ref _nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// Told after a session was added or removed (presence follows sign-in and sign-out), with the effects of the request
    /// that caused it, or null when nothing did (a dropped connection): then it releases its own.
    /// </summary>
    public Action<Session, Effects?>? SessionsChanged { get; set; }

    public void Register(Session session, Effects? fx = null)
    {
        _byUser.AddOrUpdate(session.User.Key, static (_, s) => [s], static (_, list, s) => [.. list, s], session);
        SessionsChanged?.Invoke(session, fx);
    }

    public void Unregister(Session session, Effects? fx = null)
    {
        session.TryExpire(); // a parked session that is ended otherwise (superseded, reset) stops waiting too
        while (_byUser.TryGetValue(session.User.Key, out var list))
        {
            var remaining = Array.FindAll(list, s => !ReferenceEquals(s, session));
            if (remaining.Length == list.Length) return;
            var updated = remaining.Length == 0
                ? _byUser.TryRemove(new KeyValuePair<string, Session[]>(session.User.Key, list))
                : _byUser.TryUpdate(session.User.Key, remaining, list);
            if (updated)
            {
                SessionsChanged?.Invoke(session, fx);
                // Stryker disable once Statement : without it the loop's next turn finds the session gone and returns there
                return;
            }
        }
    }

    /// <summary>
    /// The session's connection closed without TerminateSession. A session in background mode is kept (its events wait for a
    /// <c>reconnect</c> from the same device, and are recorded as pushes meanwhile) until the parked timeout passes; then,
    /// like any other session at once, it ends: signed out, presence offline.
    /// </summary>
    public void Disconnected(Session session)
    {
        if (session.Background is null)
        {
            Unregister(session);
            return;
        }
        session.Park(_time.CreateTimer(static state =>
        {
            var (registry, parked) = ((SessionRegistry, Session))state!;
            if (parked.TryExpire()) registry.Unregister(parked);
        }, (this, session), _parkedTimeout, Timeout.InfiniteTimeSpan));
    }

    /// <summary>The parked session of this device (and user, when known), or null.</summary>
    public Session? FindParked(string deviceToken, string? userKey = null) =>
        // With the user known only their own sessions are looked at: sign-in must not cost more as the tenant grows.
        (userKey is null ? All : _byUser.TryGetValue(userKey, out var own) ? own : [])
            .FirstOrDefault(s => s.IsParked && s.DeviceToken == deviceToken && (userKey is null || s.User.Key == userKey));

    /// <summary>
    /// The parked session of this user on this device, or null. The device is the connection's <c>deviceToken</c> cookie,
    /// or the <paramref name="deviceParam"/> of the request, but the latter only for a session whose BeginSession named
    /// its device by parameter: a device identified by the cookie the server set is identified only by that cookie.
    /// </summary>
    public Session? FindParked(string userKey, string deviceCookie, string? deviceParam) =>
        (_byUser.TryGetValue(userKey, out var own) ? own : []).FirstOrDefault(s => s.IsParked
            && (s.DeviceToken == deviceCookie || (!s.DeviceFromCookie && deviceParam is not null && s.DeviceToken == deviceParam)));

    /// <summary>Every session of the user; empty when the user is offline.</summary>
    public IReadOnlyList<IFrameTarget> TargetsOf(string userKey) =>
        _byUser.TryGetValue(userKey, out var list) ? list : [];

    public bool IsOnline(string userKey) => _byUser.ContainsKey(userKey);

    public IEnumerable<Session> All => _byUser.Values.SelectMany(static s => s);

    public int Count => _byUser.Values.Sum(static s => s.Length);
}
