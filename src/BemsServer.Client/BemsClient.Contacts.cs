using BemsServer.Protocol;
using BemsServer.Protocol.Data;

namespace BemsServer.Client;

public sealed partial class BemsClient
{
    /// <summary>GetContactList: the caller's contacts (cards by SIP URI) and groups.</summary>
    public Task<GetContactListData> GetContactListAsync(CancellationToken cancellationToken = default) =>
        CallAsync(MethodNames.GetContactList, Params(), BemsJsonContext.Default.GetContactListData, cancellationToken);

    /// <summary>AddContact, optionally into a group.</summary>
    public Task AddContactAsync(string contactId, string? groupId = null, CancellationToken cancellationToken = default) =>
        CallAsync(MethodNames.AddContact, Params(("contactId", contactId), ("groupId", groupId)), cancellationToken);

    /// <summary>RemoveContact.</summary>
    public Task RemoveContactAsync(string contactId, CancellationToken cancellationToken = default) =>
        CallAsync(MethodNames.RemoveContact, Params(("contactId", contactId)), cancellationToken);

    /// <summary>AddGroup: returns the COMPLETE's message.</summary>
    public Task<string> AddGroupAsync(string groupName, CancellationToken cancellationToken = default) =>
        CallForMessageAsync(MethodNames.AddGroup, Params(("groupName", groupName)), cancellationToken);

    /// <summary>RemoveGroup (it must be empty): returns the COMPLETE's message.</summary>
    public Task<string> RemoveGroupAsync(string groupId, CancellationToken cancellationToken = default) =>
        CallForMessageAsync(MethodNames.RemoveGroup, Params(("groupId", groupId)), cancellationToken);

    /// <summary>RenameGroup: returns the COMPLETE's message.</summary>
    public Task<string> RenameGroupAsync(string groupId, string newGroupName, CancellationToken cancellationToken = default) =>
        CallForMessageAsync(MethodNames.RenameGroup, Params(("groupId", groupId), ("newGroupName", newGroupName)), cancellationToken);

    /// <summary>CopyContactToGroup: returns the COMPLETE's message.</summary>
    public Task<string> CopyContactToGroupAsync(string contactId, string groupId, CancellationToken cancellationToken = default) =>
        CallForMessageAsync(MethodNames.CopyContactToGroup, Params(("contactId", contactId), ("groupId", groupId)), cancellationToken);

    /// <summary>MoveContact: returns the COMPLETE's message.</summary>
    public Task<string> MoveContactAsync(string contactId, string fromGroupId, string toGroupId, CancellationToken cancellationToken = default) =>
        CallForMessageAsync(MethodNames.MoveContact, Params(("contactId", contactId), ("fromGroupId", fromGroupId), ("toGroupId", toGroupId)),
            cancellationToken);

    /// <summary>RemoveContactFromGroup: returns the COMPLETE's message.</summary>
    public Task<string> RemoveContactFromGroupAsync(string contactId, string groupId, CancellationToken cancellationToken = default) =>
        CallForMessageAsync(MethodNames.RemoveContactFromGroup, Params(("contactId", contactId), ("groupId", groupId)), cancellationToken);
}
