using BemsServer.Features.Contacts;
using BemsServer.Features.Directory;
using BemsServer.Features.PersonalContacts;
using BemsServer.Protocol.Services;

namespace BemsServer.Features.Lookup;

/// <summary>
/// Directory Lookup (<c>POST /api/lookupuser</c>) on the tenant's directory, the one Connect uses: matches the search key
/// against each user's last name, display name (any word, or the whole), alias, email address and phone numbers; with
/// <c>SearchContacts</c> also the caller's Connect contact list (addresses the directory lacks) and personal contacts.
/// Each result holds the requested shape names the server knows, in the order asked; FullName and EmailAddress are
/// always there when asked for, other fields only when the user has a value.
/// </summary>
internal static class DirectoryLookup
{
    private static readonly char[] WordSeparators = [' ', '.', '-', '(', ')', ','];

    public static List<Dictionary<string, string>> Search(UserDirectory directory, ContactListService lists, PersonalContactBook personal,
        DirectoryUser caller, string searchKey, int maxNumber, bool searchContacts, IReadOnlyList<string> shape)
    {
        var key = searchKey.Trim();
        var found = new Dictionary<string, Entry>(StringComparer.OrdinalIgnoreCase);
        foreach (var user in directory.Users) Add(found, FromUser(user), key);
        if (searchContacts)
        {
            foreach (var address in lists.Edit(caller, static list => list.Contacts.ToList()))
                if (directory.Find(address) is null) Add(found, FromAddress(address), key);
            foreach (var contact in personal.Of(caller.Key)) Add(found, FromPersonal(contact), key);
        }
        var names = shape.Where(static n => UserShapes.All.Contains(n, StringComparer.Ordinal)).Distinct(StringComparer.Ordinal).ToList();
        var ordered = found.Values.OrderBy(static e => e.FullName, StringComparer.OrdinalIgnoreCase).ThenBy(static e => e.Email, StringComparer.Ordinal);
        return [.. (maxNumber > 0 ? ordered.Take(maxNumber) : ordered).Select(e => Shape(e, names))];
    }

    private static void Add(Dictionary<string, Entry> found, Entry entry, string key)
    {
        if (Matches(entry, key)) found.TryAdd(entry.Email.Length > 0 ? entry.Email : "\u0000" + entry.FullName, entry);
    }

    /// <summary>A prefix of a name, the alias or the address; or, for a key of 3 digits or more, part of a phone number's digits.</summary>
    internal static bool Matches(Entry entry, string key)
    {
        if (key.Length == 0) return false;
        bool Starts(string? value) => value is { Length: > 0 } && value.StartsWith(key, StringComparison.OrdinalIgnoreCase);
        if (Starts(entry.FullName) || Starts(entry.Surname) || Starts(entry.Alias) || Starts(entry.Email)) return true;
        if (entry.FullName.Split(WordSeparators, StringSplitOptions.RemoveEmptyEntries).Any(w => Starts(w))) return true;
        var digits = Digits(key);
        if (digits.Length < 3 || key.Any(static c => !(char.IsDigit(c) || c is ' ' or '+' or '-' or '(' or ')' or '.'))) return false;
        return entry.Phones.Any(p => Digits(p).Contains(digits, StringComparison.Ordinal));
    }

    private static string Digits(string text) => string.Concat(text.Where(char.IsAsciiDigit));

    private static Dictionary<string, string> Shape(Entry entry, List<string> names)
    {
        var result = new Dictionary<string, string>(names.Count, StringComparer.Ordinal);
        foreach (var name in names)
        {
            var value = name switch
            {
                UserShapes.FullName or UserShapes.DisplayName => entry.FullName,
                UserShapes.EmailAddress => entry.Email,
                UserShapes.GivenName => entry.GivenName,
                UserShapes.Surname => entry.Surname,
                UserShapes.Title => entry.Title,
                UserShapes.Alias => entry.Alias,
                UserShapes.MobilePhone => entry.Phones.ElementAtOrDefault(0),
                UserShapes.WorkPhone => entry.Phones.ElementAtOrDefault(1),
                UserShapes.Photo => entry.Photo?.Invoke(),
                _ => null,
            };
            if (value is { Length: > 0 } || name is UserShapes.FullName or UserShapes.EmailAddress) result[name] = value ?? "";
        }
        return result;
    }

    private static Entry FromUser(DirectoryUser user)
    {
        var words = user.DisplayName.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return new Entry(user.DisplayName, user.Key, words.FirstOrDefault(), words.Length >= 2 ? words[^1] : null, user.Profile.Title,
            AliasOf(user.Key), [user.Profile.MobilePhone, user.Profile.WorkPhone], () => ContactPhotos.Of(user).Photo);
    }

    private static Entry FromAddress(string address) =>
        new(AliasOf(address), address, null, null, null, AliasOf(address), ["", ""], null);

    private static Entry FromPersonal(PersonalContact contact)
    {
        var email = contact.EmailAddress1 ?? contact.EmailAddress2 ?? contact.EmailAddress3 ?? "";
        return new Entry(contact.DisplayName ?? "", email, contact.FirstName, contact.LastName, contact.JobTitle,
            email.Contains('@', StringComparison.Ordinal) ? AliasOf(email) : null, [contact.MobilePhone ?? "", contact.BusinessPhone ?? "", contact.HomePhone ?? ""], null);
    }

    private static string AliasOf(string address) => address[..Math.Max(0, address.IndexOf('@', StringComparison.Ordinal))];

    /// <summary>One candidate: its fields as lookup reads them; Phones are mobile, work (and home, for a personal contact).</summary>
    internal sealed record Entry(string FullName, string Email, string? GivenName, string? Surname, string? Title, string? Alias,
        IReadOnlyList<string> Phones, Func<string>? Photo);
}
