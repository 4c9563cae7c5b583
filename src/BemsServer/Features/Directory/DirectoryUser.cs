using BemsServer.Protocol.Admin;

namespace BemsServer.Features.Directory;

/// <summary>A user of the tenant's directory.</summary>
internal sealed class DirectoryUser(string key, string displayName, Behavior behavior)
{
    /// <summary>Bare lower-case address, e.g. <c>alice@example.com</c>.</summary>
    public string Key { get; } = key;

    /// <summary>Wire form, e.g. <c>sip:alice@example.com</c>.</summary>
    public string Uri { get; } = ContactAddress.ToUri(key);

    /// <summary>Settable through the admin API; chats keep referring to the same user.</summary>
    public string DisplayName { get; set; } = displayName;

    public Behavior Behavior { get; set; } = behavior;

    /// <summary>Card fields, seeded presence, photo and starting contact list.</summary>
    public UserProfile Profile { get; init; } = UserProfile.Empty;

    public override string ToString() => Uri;
}
