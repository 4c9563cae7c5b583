using BemsServer.Dispatch;
using BemsServer.Features.Directory;
using BemsServer.Protocol;
using BemsServer.Protocol.Data;

namespace BemsServer.Features.Presence;

/// <summary>Sets the user's personal note (an empty string clears it); watchers get a PresenceUpdate.</summary>
internal sealed class SetPersonalMessage : IBemsMethod
{
    public string Name => MethodNames.SetPersonalMessage;
    public bool? Background => false;

    public Reply Invoke(RpcCall call)
    {
        var personalMessage = call.Params.OptionalString("personalMessage")
            ?? throw call.Params.Invalid("personalMessage", "Missing required parameter 'personalMessage' (a string; empty clears it).");
        call.Complete(new MethodData(Name));
        call.Tenant.Presence.Set(call.Session.User, presence: null, personalMessage, call.Effects);
        return call.Processing(new MethodData(Name));
    }
}
