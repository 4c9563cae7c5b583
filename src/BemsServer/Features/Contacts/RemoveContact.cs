using BemsServer.Dispatch;
using BemsServer.Features.Directory;
using BemsServer.Protocol;
using BemsServer.Protocol.Data;

namespace BemsServer.Features.Contacts;

/// <summary>Removes a contact from the list and from every group.</summary>
internal sealed class RemoveContact : IBemsMethod
{
    public string Name => MethodNames.RemoveContact;
    public bool? Background => false;

    public Reply Invoke(RpcCall call)
    {
        var contact = call.Contact();
        call.EditContactList(list =>
        {
            if (!list.Has(contact.Key)) throw call.NotInList(contact);
            call.Tenant.Contacts.RemoveLocked(call.Session.User.Key, list, contact.Key);
            return true;
        });
        return call.ContactListChanged(null, new ContactListUpdateData(Name, contact.Uri));
    }
}
