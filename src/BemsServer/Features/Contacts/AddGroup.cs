using BemsServer.Dispatch;
using BemsServer.Features.Directory;
using BemsServer.Protocol;
using BemsServer.Protocol.Data;

namespace BemsServer.Features.Contacts;

/// <summary>Creates an empty group. The documented COMPLETE carries only a message; the new id shows in GetContactList.</summary>
internal sealed class AddGroup : IBemsMethod
{
    public string Name => MethodNames.AddGroup;
    public bool? Background => true;

    public Reply Invoke(RpcCall call)
    {
        var group = call.EditContactList(list => list.AddGroup(call.NewGroupName(list, "groupName")));
        return call.ContactListChanged(ContactMessages.GroupCreated(group.Name), new ContactListUpdateData(Name, GroupId: group.Id, GroupName: group.Name));
    }
}
