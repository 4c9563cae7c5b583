using System.Text.Json.Serialization;

namespace BemsServer.Protocol.Data;

/// <summary>
/// A contact card, as the GetContactDetail sample shows it: every value a JSON string, even those that look numeric or
/// boolean (<c>"availability":"18500"</c>, <c>"numDevices":"1"</c>, <c>"blocked":"true"</c>). <c>presence</c> is the key the
/// sample's truncated text starts (<c>prese…</c>). <c>groups</c> holds the ids of the viewer's groups the contact is in.
/// </summary>
public sealed record ContactCard(
    string DisplayName, IReadOnlyList<string> Groups, string PersonalMessage, string Availability, string Title, string Type,
    string Uri, string PhotoHash, string NumDevices, string MobilePhone, string Blocked, string WorkPhone, string Presence);

/// <summary>A contact-list group in GetContactList.</summary>
public sealed record GroupInfo(string GroupId, string GroupName);

/// <summary>A COMPLETE whose only field is a human-readable <c>message</c> (AddGroup, RemoveGroup, MoveContact, …).</summary>
public sealed record MessageResultData(string Message, string Method) : BemsData(Method);

/// <summary>
/// GetContactList COMPLETE: <c>contacts</c> keyed by SIP URI (as documented) and, when the user has any, <c>groups</c> (our
/// addition: without it an empty group, such as one AddGroup just made, could not be seen).
/// </summary>
public sealed record GetContactListData(IReadOnlyDictionary<string, ContactCard> Contacts, IReadOnlyList<GroupInfo>? Groups)
    : BemsData(MethodNames.GetContactList);

/// <summary>
/// GetContactDetail COMPLETE: <c>contact</c> is a one-entry map keyed by the contact's SIP URI, placed after <c>method</c>
/// as in the sample (spec §4.10).
/// </summary>
public sealed record GetContactDetailData([property: JsonPropertyOrder(WireOrder.AfterMethod)] IReadOnlyDictionary<string, ContactCard> Contact)
    : BemsData(MethodNames.GetContactDetail);

/// <summary>
/// Event to the user's other devices after a contact-list change (our name and shape: none is documented).
/// <c>change</c> is the method that made it; the other fields are those it concerns.
/// </summary>
public sealed record ContactListUpdateData(string Change, string? ContactId = null, string? GroupId = null, string? GroupName = null,
    string? ToGroupId = null) : BemsData(MethodNames.ContactListUpdate);

/// <summary>
/// SearchDirectory COMPLETE. <c>maxResults</c> is the number of matches and <c>totalResolved</c> the number returned, as the
/// table describes them (spec §8.32 suspects they are swapped). <c>method</c> is SearchDirectory whichever name the request used.
/// </summary>
public sealed record SearchDirectoryData(IReadOnlyDictionary<string, ContactCard> Contacts, int MaxResults, int TotalResolved, string SearchTerm)
    : BemsData(MethodNames.SearchDirectory);

/// <summary>One contact's photo in GetContactPhotos (element layout truncated in the documentation; ours).</summary>
public sealed record ContactPhoto(string ContactId, string ContentType, string Photo);

/// <summary>GetContactPhotos COMPLETE: one element per contact asked for, in request order.</summary>
public sealed record GetContactPhotosData(IReadOnlyList<ContactPhoto> Contacts) : BemsData(MethodNames.GetContactPhotos);
