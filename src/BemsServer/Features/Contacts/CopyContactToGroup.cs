using BemsServer.Dispatch;
using BemsServer.Features.Directory;
using BemsServer.Protocol;
using BemsServer.Protocol.Data;

namespace BemsServer.Features.Contacts;

/// <summary>Puts a listed contact into one more group; when it is there already the COMPLETE says so (and nothing changes).</summary>
internal sealed class CopyContactToGroup : IBemsMethod
{
    public string Name => MethodNames.CopyContactToGroup;
    public bool? Background => true;

    public Reply Invoke(RpcCall call)
    {
        var contact = call.Contact();
        var (group, added) = call.EditContactList(list =>
        {
            var group = call.Group(list);
            if (!list.Has(contact.Key)) throw call.NotInList(contact);
            if (group.Members.Contains(contact.Key)) return (group, false);
            group.Members.Add(contact.Key);
            return (group, true);
        });
        if (!added)
        {
            call.Complete(new MessageResultData(ContactMessages.AlreadyInGroup(contact.Uri, group.Name), Name));
            return call.Processing(new MethodData(Name));
        }
        return call.ContactListChanged(ContactMessages.Copied(contact.Uri, group.Name), new ContactListUpdateData(Name, contact.Uri, group.Id, group.Name));
    }
}
