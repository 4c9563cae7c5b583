using BemsServer.Protocol;
using BemsServer.Protocol.Data;

namespace BemsServer.Client;

public sealed partial class BemsClient
{
    /// <summary>SetPresence (<c>available</c>, <c>busy</c>, <c>donotdisturb</c>, <c>berightback</c>, <c>away</c>, <c>offline</c>).</summary>
    public Task SetPresenceAsync(string presence, string? personalMessage = null, CancellationToken cancellationToken = default) =>
        CallAsync(MethodNames.SetPresence, Params(("presence", presence), ("personalMessage", personalMessage)), cancellationToken);

    /// <summary>SetPersonalMessage (empty clears it).</summary>
    public Task SetPersonalMessageAsync(string personalMessage, CancellationToken cancellationToken = default) =>
        CallAsync(MethodNames.SetPersonalMessage, Params(("personalMessage", personalMessage)), cancellationToken);

    /// <summary>GetContactsState: the presence of each contact asked for, in request order.</summary>
    public Task<GetContactsStateData> GetContactsStateAsync(IEnumerable<string> contactIds, CancellationToken cancellationToken = default) =>
        CallAsync(MethodNames.GetContactsState, Params(("contactIds", Array(contactIds))), BemsJsonContext.Default.GetContactsStateData, cancellationToken);

    /// <summary>RegisterTempRemotePresence: this session gets PresenceUpdate for the contact (the current state at once).</summary>
    public Task RegisterTempRemotePresenceAsync(string contactId, CancellationToken cancellationToken = default) =>
        CallAsync(MethodNames.RegisterTempRemotePresence, Params(("contactId", contactId)), cancellationToken);

    /// <summary>UnRegisterTempRemotePresence: returns the COMPLETE's message.</summary>
    public Task<string> UnRegisterTempRemotePresenceAsync(string contactId, CancellationToken cancellationToken = default) =>
        CallForMessageAsync(MethodNames.UnRegisterTempRemotePresence, Params(("contactId", contactId)), cancellationToken);
}
