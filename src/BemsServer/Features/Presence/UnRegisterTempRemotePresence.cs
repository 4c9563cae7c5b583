using BemsServer.Dispatch;
using BemsServer.Features.Directory;
using BemsServer.Protocol;
using BemsServer.Protocol.Data;

namespace BemsServer.Features.Presence;

/// <summary>
/// Ends this session's temporary registration. Answers to the title's name and to the samples' wire name
/// UnRegisterTempRemotePresenceSubscription, echoing the one used; accepts the sample's contactIds for contactId.
/// </summary>
internal sealed class UnRegisterTempRemotePresence : IBemsMethod
{
    public string Name => MethodNames.UnRegisterTempRemotePresence;
    public IReadOnlyList<string> Aliases => [MethodNames.UnRegisterTempRemotePresenceSubscription];
    public bool? Background => false;

    public Reply Invoke(RpcCall call)
    {
        var contact = call.Contact();
        if (!call.Tenant.Presence.Unregister(call.Session, contact.Key))
            throw new BemsRpcException(ErrorCodes.UnknownReference, $"This session has no temporary presence registration for {contact.Uri}.",
                new ErrorData(call.Method, "contactId"));
        call.Complete(new MessageResultData(ContactMessagesFor(contact), call.Method));
        return call.Processing(new MethodData(call.Method));
    }

    private static string ContactMessagesFor(DirectoryUser contact) => Contacts.ContactMessages.Unregistered(contact.Uri);
}
