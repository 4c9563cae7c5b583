namespace BemsServer.Protocol.Services;

/// <summary>Contact Service search (<c>POST /api/contact</c>): a page of the caller's personal contacts.</summary>
/// <param name="Account">The caller's own address.</param>
/// <param name="MaxNumber">The page size; 0 or less: all.</param>
/// <param name="Offset">How many contacts to skip.</param>
/// <param name="UserShape">The fields to return, by name (<see cref="ContactFields"/>).</param>
public sealed record ContactSearchRequest(string Account, int MaxNumber, int Offset, IReadOnlyList<string> UserShape);

/// <summary>A Contact Service search's answer.</summary>
/// <param name="LookupInfo">How many contacts this page holds and how many there are.</param>
/// <param name="Contacts">The page, each contact with only the requested fields it has.</param>
public sealed record ContactSearchResult(ContactLookupInfo LookupInfo, IReadOnlyList<IReadOnlyDictionary<string, string>> Contacts);

/// <summary>A search's counts: <paramref name="Size"/> is the length of the page, never more.</summary>
/// <param name="Size">Contacts in this answer.</param>
/// <param name="TotalCount">Contacts the caller has.</param>
public sealed record ContactLookupInfo(int Size, int TotalCount);

/// <summary>
/// A personal contact (Contact Service), as create and update take it and search and create answer it; members left out
/// are kept (update) or empty (create).
/// </summary>
public sealed record PersonalContact
{
    /// <summary>The server's id for the contact (answers only; update names the contact by it).</summary>
    public string? Id { get; init; }

    /// <summary>The first name.</summary>
    public string? FirstName { get; init; }

    /// <summary>The last name.</summary>
    public string? LastName { get; init; }

    /// <summary>The display name; "FirstName LastName" when not given.</summary>
    public string? DisplayName { get; init; }

    /// <summary>The first email address.</summary>
    public string? EmailAddress1 { get; init; }

    /// <summary>The second email address.</summary>
    public string? EmailAddress2 { get; init; }

    /// <summary>The third email address.</summary>
    public string? EmailAddress3 { get; init; }

    /// <summary>The company.</summary>
    public string? CompanyName { get; init; }

    /// <summary>The job title.</summary>
    public string? JobTitle { get; init; }

    /// <summary>The mobile phone number.</summary>
    public string? MobilePhone { get; init; }

    /// <summary>The business phone number.</summary>
    public string? BusinessPhone { get; init; }

    /// <summary>The home phone number.</summary>
    public string? HomePhone { get; init; }
}

/// <summary>The field names a Contact Service search's <c>UserShape</c> may ask for; others are left out.</summary>
public static class ContactFields
{
    /// <summary>Every known name: <see cref="PersonalContact"/>'s members, and <c>EmailAddress</c> for the first address.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        "Id", "FirstName", "LastName", "DisplayName", "EmailAddress", "EmailAddress1", "EmailAddress2", "EmailAddress3", "CompanyName",
        "JobTitle", "MobilePhone", "BusinessPhone", "HomePhone",
    ];
}
