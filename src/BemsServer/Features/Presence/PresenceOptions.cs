using System.ComponentModel.DataAnnotations;

namespace BemsServer.Features.Presence;

/// <summary>
/// <c>Bems:Presence</c>: the REST presence service's subscriptions. The limits bound what one user can make the server
/// hold: subscriptions × contacts, and per contact only its last change (so the changes kept never exceed the contacts).
/// </summary>
internal sealed class PresenceOptions
{
    public const string SectionName = "Bems:Presence";

    /// <summary>A subscription not polled (nor renewed by a POST) for this long ends. Default 3 minutes, as BEMS's.</summary>
    public TimeSpan SubscriptionTimeout { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>Subscriptions one user may hold at once (each device makes its own); a further one is refused (409).</summary>
    [Range(1, 1000)]
    public int MaxSubscriptionsPerUser { get; set; } = 16;

    /// <summary>Contacts one subscription may watch; a longer list is refused (400).</summary>
    [Range(1, 100_000)]
    public int MaxContactsPerSubscription { get; set; } = 500;
}
