using BemsServer.Dispatch;
using BemsServer.Features.Directory;
using BemsServer.Protocol;
using BemsServer.Protocol.Data;

namespace BemsServer.Features.Presence;

/// <summary>
/// This session watches a contact's presence until UnRegisterTempRemotePresence or the session ends; the current state
/// follows the COMPLETE at once as a PresenceUpdate, so the watcher need not ask.
/// </summary>
internal sealed class RegisterTempRemotePresence : IBemsMethod
{
    public string Name => MethodNames.RegisterTempRemotePresence;
    public bool? Background => false;

    public Reply Invoke(RpcCall call)
    {
        var contact = call.Contact();
        call.Tenant.Presence.Register(call.Session, contact);
        call.Complete(new MethodData(Name));
        var state = call.Tenant.Presence.StateOf(contact);
        call.Effects.Send(call.Session, new EventFrame(new PresenceUpdateData(state.ContactId, state.Presence, state.Availability, state.PersonalMessage)));
        return call.Processing(new MethodData(Name));
    }
}
