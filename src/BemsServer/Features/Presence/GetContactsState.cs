using BemsServer.Dispatch;
using BemsServer.Features.Directory;
using BemsServer.Protocol;
using BemsServer.Protocol.Data;

namespace BemsServer.Features.Presence;

/// <summary>One-shot presence of the given contacts (any directory user, listed or not), in request order.</summary>
internal sealed class GetContactsState : IBemsMethod
{
    public string Name => MethodNames.GetContactsState;

    /// <summary>The spelling in the method's own table (spec §4.13, §8.17).</summary>
    public IReadOnlyList<string> Aliases => [MethodNames.GetContactState];
    public bool? Background => false;

    public Reply Invoke(RpcCall call)
    {
        var contacts = call.Contacts();
        var states = contacts.Select(call.Tenant.Presence.StateOf).ToList();
        call.Complete(new GetContactsStateData(call.Session.User.Uri, states));
        return call.Processing(new MethodData(Name));
    }
}
