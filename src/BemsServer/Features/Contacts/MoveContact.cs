using BemsServer.Dispatch;
using BemsServer.Features.Directory;
using BemsServer.Protocol;
using BemsServer.Protocol.Data;

namespace BemsServer.Features.Contacts;

/// <summary>Moves a contact from one of its groups to another (the sample's contactIds/fromGrouId spellings are accepted).</summary>
internal sealed class MoveContact : IBemsMethod
{
    public string Name => MethodNames.MoveContact;
    public bool? Background => false;

    public Reply Invoke(RpcCall call)
    {
        var contact = call.Contact();
        var (from, to) = call.EditContactList(list =>
        {
            var from = call.Group(list, "fromGroupId");
            var to = call.Group(list, "toGroupId");
            if (!from.Members.Contains(contact.Key)) throw call.NotInList(contact, from);
            if (!ReferenceEquals(from, to))
            {
                from.Members.Remove(contact.Key);
                if (!to.Members.Contains(contact.Key)) to.Members.Add(contact.Key);
            }
            return (from, to);
        });
        return call.ContactListChanged(ContactMessages.Moved(contact.Uri, from.Name, to.Name),
            new ContactListUpdateData(Name, contact.Uri, from.Id, from.Name, to.Id));
    }
}
