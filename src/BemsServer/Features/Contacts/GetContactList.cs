using BemsServer.Dispatch;
using BemsServer.Features.Directory;
using BemsServer.Protocol;
using BemsServer.Protocol.Data;

namespace BemsServer.Features.Contacts;

/// <summary>The caller's whole contact list: a card per contact keyed by SIP URI, and the groups when there are any.</summary>
internal sealed class GetContactList : IBemsMethod
{
    public string Name => MethodNames.GetContactList;
    public bool? Background => null;

    public Reply Invoke(RpcCall call)
    {
        var contacts = new Dictionary<string, ContactCard>(StringComparer.Ordinal);
        var groups = call.EditContactList(list =>
        {
            foreach (var key in list.Contacts)
                if (call.Tenant.Directory.Find(key) is { } contact)
                    contacts[contact.Uri] = ContactCards.Build(call.Tenant, contact, list.GroupsOf(key));
            return list.Groups.Select(g => new GroupInfo(g.Id, g.Name)).ToList();
        });
        call.Complete(new GetContactListData(contacts, groups.Count == 0 ? null : groups));
        return call.Processing(new MethodData(Name));
    }
}
