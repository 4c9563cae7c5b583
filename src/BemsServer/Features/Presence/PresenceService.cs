using System.Collections.Concurrent;
using BemsServer.Dispatch;
using BemsServer.Features.Contacts;
using BemsServer.Features.Directory;
using BemsServer.Features.Sessions;
using BemsServer.Protocol;
using BemsServer.Protocol.Data;

namespace BemsServer.Features.Presence;

/// <summary>
/// A tenant's presence: what each user chose (presence, personal message), what watchers see (offline without a session),
/// temporary registrations per session, and the <c>PresenceUpdate</c> fan-out when what watchers see changes.
/// </summary>
/// <param name="subscriptions">The REST presence subscriptions, told of every change watchers see.</param>
internal sealed class PresenceService(SessionRegistry sessions, ContactListService lists, PresenceSubscriptions subscriptions)
{
    private readonly ConcurrentDictionary<string, UserPresence> _users = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Session[]> _temporary = new(StringComparer.Ordinal);

    /// <summary>What watchers see of the user now.</summary>
    public ContactState StateOf(DirectoryUser user)
    {
        var state = Of(user);
        lock (state) return Visible(user, state);
    }

    /// <summary>Sets what the user chose (either part may be null for "unchanged") and tells the watchers if what they see changed.</summary>
    public void Set(DirectoryUser user, string? presence, string? personalMessage, Effects fx)
    {
        var state = Of(user);
        lock (state)
        {
            if (presence is not null) state.Presence = presence;
            if (personalMessage is not null) state.PersonalMessage = personalMessage;
            PublishLocked(user, state, fx);
        }
    }

    /// <summary>What a signing-in user chose (null parts unchanged), announced with the sign-in itself.</summary>
    public void Choose(DirectoryUser user, string? presence, string? personalMessage)
    {
        var state = Of(user);
        lock (state)
        {
            if (presence is not null) state.Presence = presence;
            if (personalMessage is not null) state.PersonalMessage = personalMessage;
        }
    }

    /// <summary>A session began or ended: the user may have come online or gone offline; an ended session's registrations go.</summary>
    public void OnSessionsChanged(Session session, Effects? caused)
    {
        var fx = caused ?? new Effects();
        var user = session.User;
        var state = Of(user);
        lock (state)
        {
            if (!sessions.IsOnline(user.Key))
            {
                state.Presence = DefaultOf(user); // the next sign-in starts from the default again
                foreach (var key in _temporary.Keys) Unregister(session, key);
            }
            PublishLocked(user, state, fx);
        }
        if (caused is null) fx.Release();
    }

    public void Register(Session watcher, DirectoryUser contact) =>
        _temporary.AddOrUpdate(contact.Key, static (_, s) => [s],
            static (_, list, s) => list.Contains(s) ? list : [.. list, s], watcher);

    /// <summary>Removes the session's temporary registration for the contact; false when it had none.</summary>
    public bool Unregister(Session watcher, string contactKey)
    {
        while (_temporary.TryGetValue(contactKey, out var list))
        {
            var remaining = Array.FindAll(list, s => !ReferenceEquals(s, watcher));
            if (remaining.Length == list.Length) return false;
            var updated = remaining.Length == 0
                ? _temporary.TryRemove(new KeyValuePair<string, Session[]>(contactKey, list))
                : _temporary.TryUpdate(contactKey, remaining, list);
            if (updated) return true;
        }
        return false;
    }

    private void PublishLocked(DirectoryUser user, UserPresence state, Effects fx)
    {
        var visible = Visible(user, state);
        if (visible == state.Published) return;
        state.Published = visible;
        subscriptions.OnChanged(user.Key);
        var targets = new HashSet<IFrameTarget>(ReferenceEqualityComparer.Instance);
        foreach (var owner in lists.WatchersOf(user.Key))
            foreach (var target in sessions.TargetsOf(owner)) targets.Add(target);
        if (_temporary.TryGetValue(user.Key, out var temporary))
            foreach (var session in temporary) targets.Add(session);
        if (targets.Count == 0) return;
        fx.Send([.. targets], new EventFrame(new PresenceUpdateData(visible.ContactId, visible.Presence, visible.Availability, visible.PersonalMessage)));
    }

    private ContactState Visible(DirectoryUser user, UserPresence state)
    {
        var presence = sessions.IsOnline(user.Key) ? state.Presence : PresenceStates.Offline;
        return new ContactState(user.Uri, presence, PresenceStates.AvailabilityOf(presence), state.PersonalMessage);
    }

    /// <summary>A user's state; what watchers saw so far is what they see now (nothing to announce on creation).</summary>
    private UserPresence Of(DirectoryUser user) =>
        _users.TryGetValue(user.Key, out var state) ? state : _users.GetOrAdd(user.Key, Create(user));

    private UserPresence Create(DirectoryUser user)
    {
        var state = new UserPresence(DefaultOf(user), user.Profile.PersonalMessage);
        state.Published = Visible(user, state);
        return state;
    }

    private static string DefaultOf(DirectoryUser user) => user.Profile.Presence ?? PresenceStates.Available;

    /// <summary>One user's chosen presence and what watchers last saw; guarded by its own monitor.</summary>
    private sealed class UserPresence(string presence, string personalMessage)
    {
        public string Presence { get; set; } = presence;
        public string PersonalMessage { get; set; } = personalMessage;
        public ContactState? Published { get; set; }
    }
}
