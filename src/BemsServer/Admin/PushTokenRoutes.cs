using BemsServer.Features.Background;
using BemsServer.Features.Directory;

namespace BemsServer.Admin;

/// <summary>
/// The GNP tokens a tenant knows: those its clients presented (BeginSession's gnpToken, a presence request's
/// X-Good-GNP-Token, a live channel's token) and those added here, so that an app server's notify to them is valid.
/// </summary>
internal sealed class PushTokenRoutes : IAdminRoutes
{
    public void Map(IEndpointRouteBuilder tenant)
    {
        tenant.MapGet("/pushes/tokens", (AdminScope scope) =>
                TypedResults.Ok<IReadOnlyList<PushTokenView>>([.. scope.Tenant.Pushes.Tokens.Snapshot()
                    .Select(static p => new PushTokenView(p.Key, p.Value is null ? null : ContactAddress.ToUri(p.Value)))]))
            .WithSummary("Lists the GNP tokens the tenant knows, each with the user that presented it (if any).");
        tenant.MapPost("/pushes/tokens", (AdminScope scope, PushTokenView body) =>
            {
                string? owner = null;
                if (body.UserId is { } user && !ContactAddress.TryNormalize(user, out owner)) throw new ArgumentException($"'{user}' is not a user id.");
                return scope.Tenant.Pushes.Tokens.Learn(body.Token, owner) switch
                {
                    LearnOutcome.Malformed => throw new ArgumentException("token must be 1-512 characters, no control characters."),
                    LearnOutcome.Full => throw new ArgumentException($"The tenant already knows {PushTokens.Capacity} tokens."),
                    _ => TypedResults.Created($"pushes/tokens", body),
                };
            })
            .WithSummary("Makes a GNP token known (optionally as a user's), as if a client had presented it.");
    }
}

/// <summary>A GNP token and the user that presented it.</summary>
internal sealed record PushTokenView(string Token, string? UserId = null);
