using BemsServer.Dispatch;
using BemsServer.Features.Directory;
using BemsServer.Protocol;
using BemsServer.Protocol.Data;

namespace BemsServer.Features.Presence;

/// <summary>Sets the user's presence (and, optionally, personal message); watchers get a PresenceUpdate.</summary>
internal sealed class SetPresence : IBemsMethod
{
    public string Name => MethodNames.SetPresence;
    public bool? Background => false;

    public Reply Invoke(RpcCall call)
    {
        var presence = call.PresenceParam(required: true);
        var personalMessage = call.Params.OptionalString("personalMessage");
        call.Complete(new MethodData(Name));
        call.Tenant.Presence.Set(call.Session.User, presence, personalMessage, call.Effects);
        return call.Processing(new MethodData(Name));
    }
}
