using System.Text.Json.Serialization;

namespace BemsServer.Protocol.Services;

/// <summary>
/// Subscribes, replaces or (with no contacts) ends the subscription named <paramref name="Notify"/>
/// (<c>POST /presence/subscriptions</c>).
/// </summary>
/// <param name="Contacts">The addresses to watch.</param>
/// <param name="Notify">The client's name for the subscription (a UUID in the samples).</param>
public sealed record PresenceSubscriptionRequest(
    [property: JsonPropertyName("contacts")] IReadOnlyList<string> Contacts,
    [property: JsonPropertyName("notify")] string Notify);

/// <summary>A presence poll's answer: the whole set, or only what changed since the sequence the poll named.</summary>
/// <param name="Sequence">Opaque; send it back as <c>?sequence=</c> to get only later changes.</param>
/// <param name="Contacts">The contacts and their Lync availability.</param>
public sealed record PresenceSnapshot(
    [property: JsonPropertyName("sequence")] string Sequence,
    [property: JsonPropertyName("contacts")] IReadOnlyList<PresenceEntry> Contacts);

/// <summary>One contact in a presence poll.</summary>
/// <param name="Id">The address, as the subscription named it.</param>
/// <param name="Availability">A <see cref="LyncAvailability"/> code.</param>
public sealed record PresenceEntry(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("availability")] int Availability);

/// <summary>The Lync availability codes the presence service answers.</summary>
public static class LyncAvailability
{
    /// <summary>Available.</summary>
    public const int Available = 3500;

    /// <summary>Busy.</summary>
    public const int Busy = 6000;

    /// <summary>Do not disturb.</summary>
    public const int DoNotDisturb = 9000;

    /// <summary>Be right back.</summary>
    public const int BeRightBack = 12000;

    /// <summary>Away.</summary>
    public const int Away = 15500;

    /// <summary>Offline.</summary>
    public const int Offline = 18000;

    /// <summary>Not a user the server knows.</summary>
    public const int Unknown = -1;
}
