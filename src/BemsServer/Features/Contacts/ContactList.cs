using System.Globalization;
using BemsServer.Features.Directory;

namespace BemsServer.Features.Contacts;

/// <summary>A contact-list group: a per-user numeric id (as the samples show, "1", "15") and a name.</summary>
internal sealed class ContactGroup(string id, string name)
{
    public string Id { get; } = id;
    public string Name { get; set; } = name;

    /// <summary>Contact keys, in the order they joined the group.</summary>
    public List<string> Members { get; } = [];
}

/// <summary>
/// One user's contact list: contacts (each in zero or more groups) and groups (possibly empty). Shared by all the user's
/// devices; every read and change holds <see cref="Gate"/>.
/// </summary>
internal sealed class ContactList
{
    private int _lastGroupId;

    internal object Gate { get; } = new();

    /// <summary>Contact keys in the order they were added.</summary>
    public List<string> Contacts { get; } = [];

    public List<ContactGroup> Groups { get; } = [];

    public static ContactList FromSeed(UserProfile profile)
    {
        var list = new ContactList();
        foreach (var seeded in profile.Groups)
        {
            var group = list.AddGroup(seeded.Name);
            foreach (var key in seeded.Contacts)
            {
                list.AddContact(key);
                group.Members.Add(key);
            }
        }
        foreach (var key in profile.Contacts) list.AddContact(key);
        return list;
    }

    public bool Has(string contactKey) => Contacts.Contains(contactKey);

    public bool AddContact(string contactKey)
    {
        if (Has(contactKey)) return false;
        Contacts.Add(contactKey);
        return true;
    }

    public ContactGroup AddGroup(string name)
    {
        var group = new ContactGroup((++_lastGroupId).ToString(CultureInfo.InvariantCulture), name);
        Groups.Add(group);
        return group;
    }

    public ContactGroup? FindGroup(string groupId) => Groups.Find(g => g.Id == groupId);

    public ContactGroup? FindGroupByName(string name) =>
        Groups.Find(g => string.Equals(g.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Ids of the groups the contact is in, in group order.</summary>
    public List<string> GroupsOf(string contactKey) => [.. Groups.Where(g => g.Members.Contains(contactKey)).Select(g => g.Id)];
}
