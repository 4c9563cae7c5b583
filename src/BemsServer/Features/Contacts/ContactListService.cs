using System.Collections.Concurrent;
using BemsServer.Features.Directory;

namespace BemsServer.Features.Contacts;

/// <summary>
/// A tenant's contact lists, one per user, seeded from the directory seed and kept for the life of the process, with a
/// reverse index (who has this contact in their list) for presence fan-out.
/// </summary>
internal sealed class ContactListService
{
    private readonly ConcurrentDictionary<string, ContactList> _lists = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, byte>> _watchers = new(StringComparer.Ordinal);

    public ContactListService(UserDirectory directory)
    {
        foreach (var user in directory.Users)
        {
            if (user.Profile.Groups.Count == 0 && user.Profile.Contacts.Count == 0) continue;
            var list = ContactList.FromSeed(user.Profile);
            _lists[user.Key] = list;
            foreach (var contact in list.Contacts) Watch(user.Key, contact);
        }
    }

    public ContactList Of(DirectoryUser user) => _lists.GetOrAdd(user.Key, static _ => new ContactList());

    /// <summary>
    /// Reads or changes the owner's contact list under its lock: every read and change goes through here (or through
    /// <see cref="Edit(DirectoryUser, Action{ContactList})"/>), so a list is never seen half-changed.
    /// </summary>
    public T Edit<T>(DirectoryUser owner, Func<ContactList, T> change)
    {
        var list = Of(owner);
        lock (list.Gate) return change(list);
    }

    public void Edit(DirectoryUser owner, Action<ContactList> change)
    {
        var list = Of(owner);
        lock (list.Gate) change(list);
    }

    /// <summary>Keys of the users whose contact list holds the contact.</summary>
    public ICollection<string> WatchersOf(string contactKey) =>
        _watchers.TryGetValue(contactKey, out var owners) ? owners.Keys : [];

    /// <summary>Adds the contact to the owner's list (held lock: the list's); false when it was there already.</summary>
    public bool AddLocked(string ownerKey, ContactList list, string contactKey)
    {
        if (!list.AddContact(contactKey)) return false;
        Watch(ownerKey, contactKey);
        return true;
    }

    /// <summary>Removes the contact from the owner's list and from all its groups (held lock: the list's).</summary>
    public void RemoveLocked(string ownerKey, ContactList list, string contactKey)
    {
        list.Contacts.Remove(contactKey);
        foreach (var group in list.Groups) group.Members.Remove(contactKey);
        if (_watchers.TryGetValue(contactKey, out var owners)) owners.TryRemove(ownerKey, out _);
    }

    private void Watch(string ownerKey, string contactKey) =>
        _watchers.GetOrAdd(contactKey, static _ => new ConcurrentDictionary<string, byte>(StringComparer.Ordinal))[ownerKey] = 0;
}
