namespace BemsServer.Features.Contacts;

/// <summary>
/// The human-readable <c>message</c> of the contact-list completions. Only AddGroup's is documented ("The group name
/// exampleGroup is created"); the others follow its wording. One place, so that a real capture can correct them.
/// </summary>
internal static class ContactMessages
{
    public static string GroupCreated(string name) => $"The group name {name} is created";
    public static string GroupRemoved(string name) => $"The group name {name} is removed";
    public static string GroupRenamed(string from, string to) => $"The group name {from} is renamed to {to}";
    public static string Copied(string contact, string group) => $"The contact {contact} is copied to the group {group}";
    public static string AlreadyInGroup(string contact, string group) => $"The contact {contact} is already in the group {group}";
    public static string Moved(string contact, string from, string to) => $"The contact {contact} is moved from the group {from} to the group {to}";
    public static string RemovedFromGroup(string contact, string group) => $"The contact {contact} is removed from the group {group}";
    public static string Unregistered(string contact) => $"The temporary presence subscription to {contact} is removed";
}
