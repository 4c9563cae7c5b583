namespace BemsServer.Protocol.Data;

/// <summary>One contact's presence, as GetContactsState lists it (its element layout is truncated in the documentation).</summary>
public sealed record ContactState(string ContactId, string Presence, string Availability, string PersonalMessage);

/// <summary>GetContactsState COMPLETE: the requesting user and the state of each contact asked for, in request order.</summary>
public sealed record GetContactsStateData(string UserId, IReadOnlyList<ContactState> Contacts) : BemsData(MethodNames.GetContactsState);

/// <summary>
/// Event to the watchers of a contact (its contact-list owners and temporary registrations) when its presence or personal
/// message changes. Name and shape are ours (spec §7: not found); the fields are those of a GetContactsState element.
/// </summary>
public sealed record PresenceUpdateData(string ContactId, string Presence, string Availability, string PersonalMessage)
    : BemsData(MethodNames.PresenceUpdate);
