namespace BemsServer.Protocol.Services;

/// <summary>
/// Directory Lookup's request (<c>POST /api/lookupuser</c>). The answer is a bare JSON array of objects holding only the
/// requested, known <see cref="UserShapes"/> names.
/// </summary>
/// <param name="Account">The caller's own address.</param>
/// <param name="SearchKey">The text to match (last name, display name, full name, alias, email, phone).</param>
/// <param name="MaxNumber">At most this many results; 0 or less: all.</param>
/// <param name="SearchContacts">Also search the caller's Connect contact list and personal contacts.</param>
/// <param name="UserShape">The fields to return, by name.</param>
public sealed record LookupUserRequest(string Account, string SearchKey, int MaxNumber, bool SearchContacts, IReadOnlyList<string> UserShape);

/// <summary>The shape names Directory Lookup knows; any other requested name is left out of the answer.</summary>
public static class UserShapes
{
    /// <summary>The display name; every user has one.</summary>
    public const string FullName = "FullName";

    /// <summary>The bare email address; every user has one.</summary>
    public const string EmailAddress = "EmailAddress";

    /// <summary>The display name (as <see cref="FullName"/>).</summary>
    public const string DisplayName = "DisplayName";

    /// <summary>The first word of the display name.</summary>
    public const string GivenName = "GivenName";

    /// <summary>The last word of a display name of two words or more.</summary>
    public const string Surname = "Surname";

    /// <summary>The job title.</summary>
    public const string Title = "Title";

    /// <summary>The local part of the address.</summary>
    public const string Alias = "Alias";

    /// <summary>The mobile phone number.</summary>
    public const string MobilePhone = "MobilePhone";

    /// <summary>The work phone number.</summary>
    public const string WorkPhone = "WorkPhone";

    /// <summary>The photo's bytes, base64.</summary>
    public const string Photo = "Photo";

    /// <summary>Every known name.</summary>
    public static IReadOnlyList<string> All { get; } =
        [FullName, EmailAddress, DisplayName, GivenName, Surname, Title, Alias, MobilePhone, WorkPhone, Photo];
}
