using BemsServer.Dispatch;
using BemsServer.Features.Directory;
using BemsServer.Protocol;
using BemsServer.Protocol.Data;

namespace BemsServer.Features.Contacts;

/// <summary>Renames a group (to a name no other group has).</summary>
internal sealed class RenameGroup : IBemsMethod
{
    public string Name => MethodNames.RenameGroup;
    public bool? Background => false;

    public Reply Invoke(RpcCall call)
    {
        var (group, message) = call.EditContactList(list =>
        {
            var group = call.Group(list);
            var newName = call.Params.RequiredString("newGroupName").Trim();
            if (!string.Equals(newName, group.Name, StringComparison.OrdinalIgnoreCase)) newName = call.NewGroupName(list, "newGroupName");
            var message = ContactMessages.GroupRenamed(group.Name, newName);
            group.Name = newName;
            return (group, message);
        });
        return call.ContactListChanged(message, new ContactListUpdateData(Name, GroupId: group.Id, GroupName: group.Name));
    }
}
