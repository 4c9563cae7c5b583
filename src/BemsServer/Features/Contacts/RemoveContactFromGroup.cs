using BemsServer.Dispatch;
using BemsServer.Features.Directory;
using BemsServer.Protocol;
using BemsServer.Protocol.Data;

namespace BemsServer.Features.Contacts;

/// <summary>Takes a contact out of one group; it stays in the contact list.</summary>
internal sealed class RemoveContactFromGroup : IBemsMethod
{
    public string Name => MethodNames.RemoveContactFromGroup;
    public bool? Background => false;

    public Reply Invoke(RpcCall call)
    {
        var contact = call.Contact();
        var group = call.EditContactList(list =>
        {
            var group = call.Group(list);
            if (!group.Members.Remove(contact.Key)) throw call.NotInList(contact, group);
            return group;
        });
        return call.ContactListChanged(ContactMessages.RemovedFromGroup(contact.Uri, group.Name), new ContactListUpdateData(Name, contact.Uri, group.Id, group.Name));
    }
}
