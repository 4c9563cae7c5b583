using BemsServer.Dispatch;
using BemsServer.Features.Directory;
using BemsServer.Protocol;
using BemsServer.Protocol.Data;

namespace BemsServer.Features.Contacts;

/// <summary>Checks and follow-ups shared by the contact-list methods.</summary>
internal static class ContactRpcCallExtensions
{
    /// <summary>Reads or changes the caller's contact list under its lock.</summary>
    public static T EditContactList<T>(this RpcCall call, Func<ContactList, T> change) => call.Tenant.Contacts.Edit(call.Session.User, change);

    /// <summary>One of the caller's groups, by the id in <paramref name="param"/> (held lock: the list's).</summary>
    public static ContactGroup Group(this RpcCall call, ContactList list, string param = "groupId")
    {
        var id = call.Params.RequiredString(param);
        return list.FindGroup(id)
            ?? throw new BemsRpcException(ErrorCodes.UnknownGroup, $"You have no group with id '{id}'.", new ErrorData(call.Method, param));
    }

    public static BemsRpcException NotInList(this RpcCall call, DirectoryUser contact, ContactGroup? group = null) =>
        new(ErrorCodes.NotInContactList,
            group is null ? $"{contact.Uri} is not in your contact list." : $"{contact.Uri} is not in the group {group.Name}.",
            new ErrorData(call.Method, "contactId"));

    /// <summary>A group name that no other group of the caller has.</summary>
    public static string NewGroupName(this RpcCall call, ContactList list, string param)
    {
        var name = call.Params.RequiredString(param).Trim();
        if (list.FindGroupByName(name) is not null)
            throw new BemsRpcException(ErrorCodes.GroupExists, $"You already have a group named '{name}'.", new ErrorData(call.Method, param));
        return name;
    }

    /// <summary>Completes the request with a message and tells the user's other devices what changed.</summary>
    public static Reply ContactListChanged(this RpcCall call, string? message, ContactListUpdateData change)
    {
        call.Complete(message is null ? new MethodData(call.Method) : new MessageResultData(message, call.Method));
        var others = call.Tenant.Sessions.TargetsOf(call.Session.User.Key).Where(t => !ReferenceEquals(t, call.Session)).ToList();
        if (others.Count > 0) call.Effects.Send(others, new EventFrame(change with { Change = call.Method }));
        return call.Processing(new MethodData(call.Method));
    }
}
