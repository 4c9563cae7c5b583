using BemsServer.Dispatch;
using BemsServer.Protocol;
using BemsServer.Protocol.Data;

namespace BemsServer.Features.Directory;

/// <summary>One contact's card, keyed by its SIP URI, with the sample's string-typed fields.</summary>
internal sealed class GetContactDetail : IBemsMethod
{
    public string Name => MethodNames.GetContactDetail;
    public bool? Background => null;

    public Reply Invoke(RpcCall call)
    {
        var contact = call.Contact(allowSelf: true);
        var card = call.Tenant.Contacts.Edit(call.Session.User, list => ContactCards.Build(call.Tenant, contact, list.GroupsOf(contact.Key)));
        call.Complete(new GetContactDetailData(new Dictionary<string, ContactCard>(StringComparer.Ordinal) { [contact.Uri] = card }));
        return call.Processing(new MethodData(Name));
    }
}
