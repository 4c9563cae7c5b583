using BemsServer.Dispatch;
using BemsServer.Features.Directory;
using BemsServer.Protocol;
using BemsServer.Protocol.Data;

namespace BemsServer.Features.Contacts;

/// <summary>Adds a directory user to the contact list, into a group when one is named; adding again is harmless.</summary>
internal sealed class AddContact : IBemsMethod
{
    public string Name => MethodNames.AddContact;
    public bool? Background => true;

    public Reply Invoke(RpcCall call)
    {
        var contact = call.Contact();
        var groupId = call.EditContactList(list =>
        {
            var group = call.Params.OptionalString("groupId") is null ? null : call.Group(list);
            call.Tenant.Contacts.AddLocked(call.Session.User.Key, list, contact.Key);
            if (group is not null && !group.Members.Contains(contact.Key)) group.Members.Add(contact.Key);
            return group?.Id;
        });
        return call.ContactListChanged(null, new ContactListUpdateData(Name, contact.Uri, groupId));
    }
}
