using BemsServer.Features.Background;
using BemsServer.Features.Presence;
using BemsServer.Protocol.Services;
using BemsServer.Tenancy;

namespace BemsServer.Services;

/// <summary>
/// The REST presence service: <c>POST /presence/subscriptions</c> subscribes, replaces or (no contacts) unsubscribes;
/// <c>GET /presence/subscriptions/{notify}[?sequence=]</c> polls, on the presence Connect's methods change.
/// </summary>
internal static class PresenceRoutes
{
    private const int MaxNotifyLength = 128;

    public static void Map(IEndpointRouteBuilder group)
    {
        group.MapPost(ServicePaths.PresenceSubscriptions, SubscribeAsync)
            .Produces<PresenceSnapshot>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .WithSummary("Presence: subscribes (or replaces) the subscription named by notify, or ends it with contacts []; answers the whole set.");
        group.MapGet(ServicePaths.PresenceSubscriptions + "/{notify}", Poll)
            .Produces<PresenceSnapshot>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Presence: the subscription's contacts and availability, or with ?sequence= only those changed since; renews the subscription (and an X-Good-GNP-Token moves its pushes there).");
    }

    private static async Task<IResult> SubscribeAsync(HttpContext context, ServiceGate gate, CancellationToken cancellationToken)
    {
        var (tenant, caller) = gate.CallerOf(context, "presence");
        var subscriptions = tenant.Services.PresenceSubscriptions;
        var body = await JsonBody.ReadAsync(context.Request, cancellationToken);
        var contacts = body.RequiredStrings("contacts", subscriptions.Options.MaxContactsPerSubscription);
        var notify = NotifyKey(body.RequiredString("notify", MaxNotifyLength));
        var token = PushToken(context, tenant, caller.Key);
        var device = context.Request.Headers[ServiceHeaders.DeviceId].ToString() is { Length: > 0 and <= 128 } d ? d : null;

        switch (subscriptions.Subscribe(caller.Key, notify, contacts, token, device))
        {
            case SubscribeOutcome.TooMany:
                throw new ServiceProblem(StatusCodes.Status409Conflict,
                    $"{caller.Key} already holds {subscriptions.Options.MaxSubscriptionsPerUser} presence subscriptions (Bems:Presence:MaxSubscriptionsPerUser): end one (contacts []) or let one expire.");
            case SubscribeOutcome.Unsubscribed:
                return TypedResults.Json(new PresenceSnapshot("0", []), ServiceJson.Context.PresenceSnapshot);
            default:
                return Answer(tenant, subscriptions.Poll(caller.Key, notify, since: null));
        }
    }

    private static IResult Poll(HttpContext context, ServiceGate gate, string notify, string? sequence)
    {
        var (tenant, caller) = gate.CallerOf(context, "presence");
        var token = PushToken(context, tenant, caller.Key);
        return Answer(tenant, tenant.Services.PresenceSubscriptions.Poll(caller.Key, notify, sequence, token), notify);
    }

    private static IResult Answer(Tenant tenant, (string Sequence, IReadOnlyList<(string Id, string? Key)> Contacts)? poll, string? notify = null)
    {
        if (poll is not { } found)
            throw new ServiceProblem(StatusCodes.Status404NotFound,
                $"No presence subscription '{notify}' for this user: it ended, expired (not polled within Bems:Presence:SubscriptionTimeout) or never was; POST it again.");
        var entries = found.Contacts.Select(c => new PresenceEntry(c.Id,
            c.Key is not null && tenant.Directory.Find(c.Key) is { } user ? LyncCodes.Of(tenant.Presence.StateOf(user).Presence) : LyncAvailability.Unknown));
        return TypedResults.Json(new PresenceSnapshot(found.Sequence, [.. entries]), ServiceJson.Context.PresenceSnapshot);
    }

    private static string NotifyKey(string notify) =>
        notify.Trim().Length > 0 && !notify.Any(char.IsControl) ? notify : throw ServiceProblem.BadRequest("'notify' must name the subscription (1-128 characters, no control characters).");

    /// <summary>The request's GNP token, now known to the tenant as the caller's; null when it carries none.</summary>
    private static string? PushToken(HttpContext context, Tenant tenant, string userKey)
    {
        var token = context.Request.Headers[ServiceHeaders.GnpToken].ToString();
        if (token.Length == 0) return null;
        return tenant.Pushes.Tokens.Learn(token, userKey) switch
        {
            LearnOutcome.Malformed => throw ServiceProblem.BadRequest($"{ServiceHeaders.GnpToken} is not a usable token (1-512 characters, no control characters)."),
            LearnOutcome.Full => throw new ServiceProblem(StatusCodes.Status503ServiceUnavailable, "The tenant already knows as many GNP tokens as it keeps."),
            _ => token,
        };
    }
}
