using System.Collections.Concurrent;
using System.Globalization;
using BemsServer.Protocol.Services;

namespace BemsServer.Features.PersonalContacts;

/// <summary>
/// A tenant's personal contacts (the Contact Service's Exchange contacts), per user, at most
/// <see cref="PersonalContactsOptions.MaxContactsPerUser"/> each. Ids are the user's own, "1", "2", … in creation order.
/// Directory Lookup searches them when asked to search contacts.
/// </summary>
internal sealed class PersonalContactBook(int maxPerUser)
{
    private readonly ConcurrentDictionary<string, Book> _books = new(StringComparer.Ordinal);

    public int MaxPerUser => maxPerUser;

    /// <summary>Stores a new contact for the user; null when the user already has the maximum.</summary>
    public PersonalContact? Create(string userKey, PersonalContact draft)
    {
        var book = _books.GetOrAdd(userKey, static _ => new Book());
        lock (book.Gate)
        {
            if (book.Contacts.Count >= maxPerUser) return null;
            var stored = Complete(draft with { Id = (++book.LastId).ToString(CultureInfo.InvariantCulture) });
            book.Contacts.Add(stored);
            return stored;
        }
    }

    /// <summary>Applies the members the change gives (null ones are kept) to the user's contact of that id; null when there is none.</summary>
    public PersonalContact? Update(string userKey, string id, PersonalContact change)
    {
        if (!_books.TryGetValue(userKey, out var book)) return null;
        lock (book.Gate)
        {
            var at = book.Contacts.FindIndex(c => c.Id == id);
            if (at < 0) return null;
            var old = book.Contacts[at];
            var merged = old with
            {
                FirstName = change.FirstName ?? old.FirstName,
                LastName = change.LastName ?? old.LastName,
                DisplayName = change.DisplayName ?? (change.FirstName is not null || change.LastName is not null ? null : old.DisplayName),
                EmailAddress1 = change.EmailAddress1 ?? old.EmailAddress1,
                EmailAddress2 = change.EmailAddress2 ?? old.EmailAddress2,
                EmailAddress3 = change.EmailAddress3 ?? old.EmailAddress3,
                CompanyName = change.CompanyName ?? old.CompanyName,
                JobTitle = change.JobTitle ?? old.JobTitle,
                MobilePhone = change.MobilePhone ?? old.MobilePhone,
                BusinessPhone = change.BusinessPhone ?? old.BusinessPhone,
                HomePhone = change.HomePhone ?? old.HomePhone,
            };
            return book.Contacts[at] = Complete(merged);
        }
    }

    /// <summary>The user's contacts by display name (then id).</summary>
    public IReadOnlyList<PersonalContact> Of(string userKey)
    {
        if (!_books.TryGetValue(userKey, out var book)) return [];
        lock (book.Gate)
            return [.. book.Contacts.OrderBy(static c => c.DisplayName, StringComparer.OrdinalIgnoreCase)
                .ThenBy(static c => int.Parse(c.Id!, CultureInfo.InvariantCulture))];
    }

    /// <summary>A contact without a display name shows "FirstName LastName", else its first address.</summary>
    private static PersonalContact Complete(PersonalContact contact) =>
        string.IsNullOrWhiteSpace(contact.DisplayName)
            ? contact with { DisplayName = $"{contact.FirstName} {contact.LastName}".Trim() is { Length: > 0 } name ? name : contact.EmailAddress1 ?? "" }
            : contact;

    private sealed class Book
    {
        public Lock Gate { get; } = new();
        public List<PersonalContact> Contacts { get; } = [];
        public int LastId { get; set; }
    }
}
