namespace BemsServer.Features.Directory;

/// <summary>
/// What the seed says about a user beyond id and name: the contact-card fields, the presence a simulated user shows, a
/// photo file, and the contact list (groups and ungrouped contacts) the user starts with. Contact keys are normalised.
/// </summary>
internal sealed record UserProfile
{
    public static readonly UserProfile Empty = new();

    public string Title { get; init; } = "";
    public string MobilePhone { get; init; } = "";
    public string WorkPhone { get; init; } = "";

    /// <summary>The presence the user has until it sets one (simulated users keep it); null for the default.</summary>
    public string? Presence { get; init; }

    public string PersonalMessage { get; init; } = "";

    /// <summary>Full path of the user's photo file, or null for the generated placeholder.</summary>
    public string? PhotoFile { get; init; }

    /// <summary>What the card's <c>blocked</c> field says (no method changes it).</summary>
    public bool Blocked { get; init; }

    /// <summary>Contacts the user starts with outside any group.</summary>
    public IReadOnlyList<string> Contacts { get; init; } = [];

    /// <summary>Groups the user starts with, in order (ids "1", "2", … follow this order).</summary>
    public IReadOnlyList<SeedContactGroup> Groups { get; init; } = [];
}

/// <summary>A seeded contact-list group and the keys of its contacts.</summary>
internal sealed record SeedContactGroup(string Name, IReadOnlyList<string> Contacts);
