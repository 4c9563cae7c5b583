using BemsServer.Dispatch;
using BemsServer.Features.Directory;
using BemsServer.Protocol;
using BemsServer.Protocol.Data;

namespace BemsServer.Features.Contacts;

/// <summary>Deletes a group; as documented, only an empty one.</summary>
internal sealed class RemoveGroup : IBemsMethod
{
    public string Name => MethodNames.RemoveGroup;
    public bool? Background => false;

    public Reply Invoke(RpcCall call)
    {
        var group = call.EditContactList(list =>
        {
            var group = call.Group(list);
            if (group.Members.Count > 0)
                throw new BemsRpcException(ErrorCodes.GroupNotEmpty,
                    $"The group {group.Name} still has {group.Members.Count} contact(s); empty it first.", new ErrorData(Name, "groupId"));
            list.Groups.Remove(group);
            return group;
        });
        return call.ContactListChanged(ContactMessages.GroupRemoved(group.Name), new ContactListUpdateData(Name, GroupId: group.Id, GroupName: group.Name));
    }
}
