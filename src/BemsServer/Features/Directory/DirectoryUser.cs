namespace BemsServer.Features.Directory;

/// <summary>How a simulated user answers chats.</summary>
public enum Behavior
{
    /// <summary>A plain directory entry: a person who may sign in, never a bot.</summary>
    None,
    /// <summary>Accepts every invitation silently.</summary>
    Accept,
    /// <summary>Accepts every invitation and sends each message it receives straight back.</summary>
    Echo,
    /// <summary>Declines every invitation.</summary>
    Decline,
    /// <summary>Never answers, so invitations time out.</summary>
    Ignore,
}

/// <summary>A user of the tenant's directory.</summary>
public sealed class DirectoryUser(string key, string displayName, Behavior behavior)
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
