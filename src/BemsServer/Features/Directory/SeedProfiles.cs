using BemsServer.Features.Presence;

namespace BemsServer.Features.Directory;

/// <summary>Checks and normalises the optional parts of a seeded user (card, presence, photo, contact list).</summary>
internal static class SeedProfiles
{
    public static UserProfile Parse(SeedUser user, string key, HashSet<string> seedKeys, string source, string? baseDirectory)
    {
        string? presence = null;
        if (user.Presence is not null && !PresenceStates.TryNormalize(user.Presence, out presence!))
            throw new InvalidDataException($"{source}: user {user.Id} has unknown presence '{user.Presence}' ({string.Join(", ", PresenceStates.All)}).");

        string? photo = null;
        if (!string.IsNullOrEmpty(user.Photo))
        {
            photo = Path.GetFullPath(user.Photo, baseDirectory ?? System.IO.Directory.GetCurrentDirectory());
            if (!File.Exists(photo)) throw new InvalidDataException($"{source}: the photo of user {user.Id}, {user.Photo}, does not exist.");
        }

        var groupNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var groups = new List<SeedContactGroup>();
        foreach (var group in user.Groups ?? [])
        {
            if (string.IsNullOrWhiteSpace(group.Name) || !groupNames.Add(group.Name))
                throw new InvalidDataException($"{source}: user {user.Id} has an empty or repeated group name '{group.Name}'.");
            groups.Add(new SeedContactGroup(group.Name, Contacts(group.Contacts, user, key, seedKeys, source)));
        }

        return new UserProfile
        {
            Title = user.Title ?? "",
            MobilePhone = user.MobilePhone ?? "",
            WorkPhone = user.WorkPhone ?? "",
            Presence = presence,
            PersonalMessage = user.PersonalMessage ?? "",
            PhotoFile = photo,
            Blocked = user.Blocked ?? false,
            Contacts = Contacts(user.Contacts, user, key, seedKeys, source),
            Groups = groups,
        };
    }

    private static List<string> Contacts(IReadOnlyList<string>? raw, SeedUser user, string key, HashSet<string> seedKeys, string source)
    {
        var contacts = new List<string>();
        foreach (var contact in raw ?? [])
        {
            if (!ContactAddress.TryNormalize(contact, out var contactKey) || !seedKeys.Contains(contactKey) || contactKey == key)
                throw new InvalidDataException($"{source}: contact '{contact}' of user {user.Id} is not another user of the seed.");
            if (!contacts.Contains(contactKey)) contacts.Add(contactKey);
        }
        return contacts;
    }
}
