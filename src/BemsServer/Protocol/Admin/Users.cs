namespace BemsServer.Protocol.Admin;

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

/// <summary>A directory user as the API shows it and takes it, with the presence its watchers see.</summary>
public sealed record UserView(
    string Id, string DisplayName, Behavior Behavior, bool Online, int Sessions, string? Presence = null, string? PersonalMessage = null);

/// <summary>The body of add and edit; on edit, absent fields stay as they are.</summary>
public sealed record UserChange(string? Id = null, string? DisplayName = null, Behavior? Behavior = null);

/// <summary>A signed-in session (<c>simulated</c>: a simulated or scripted user, without a connection).</summary>
public sealed record SessionView(string Id, string User, string DeviceToken, string ApiVersion, DateTimeOffset Started, bool Simulated, string? Connection);
