using System.Globalization;
using BemsServer.Protocol.Data;

namespace BemsServer.Features.Directory;

/// <summary>
/// Builds contact cards (GetContactList, GetContactDetail, SearchDirectory) with the sample's string-typed values. The two
/// fields the server cannot know are fixed here: <c>type</c> "unknown" and <c>photoHash</c> "PENDING", as in the sample
/// (the photo itself comes from GetContactPhotos).
/// </summary>
internal static class ContactCards
{
    public const string Type = "unknown";
    public const string PhotoHash = "PENDING";

    /// <param name="groups">Ids of the viewer's groups the contact is in.</param>
    public static ContactCard Build(TenantServices tenant, DirectoryUser contact, IReadOnlyList<string> groups)
    {
        var state = tenant.Presence.StateOf(contact);
        var profile = contact.Profile;
        var devices = tenant.Sessions.TargetsOf(contact.Key).Count.ToString(CultureInfo.InvariantCulture);
        return new ContactCard(contact.DisplayName, groups, state.PersonalMessage, state.Availability, profile.Title, Type, contact.Uri,
            PhotoHash, devices, profile.MobilePhone, profile.Blocked ? "true" : "false", profile.WorkPhone, state.Presence);
    }
}
