using BemsServer.Protocol.Admin;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BemsServer.Admin;

/// <summary>Scripts for simulated users.</summary>
internal sealed class ScenarioRoutes : IAdminRoutes
{
    public void Map(IEndpointRouteBuilder tenant)
    {
        tenant.MapGet("/scenarios", (AdminScope scope) => TypedResults.Ok(scope.Tenant.Control.Scenarios.List()))
            .WithSummary("Lists the scripted users.");
        tenant.MapPut("/users/{id}/scenario", Results<Ok<ScenarioView>, NotFound> (AdminScope scope, string id, Scenario body) =>
                UserRoutes.Find(scope, id) is { } user ? TypedResults.Ok(scope.Tenant.Control.Scenarios.Set(user, body)) : TypedResults.NotFound())
            .WithSummary("Gives a directory user a script (it signs in as a scripted session): { on: [ { event, pattern?, steps: [ { do, delay?, text?, presence? } ] } ] }.");
        tenant.MapDelete("/users/{id}/scenario", Results<NoContent, NotFound> (AdminScope scope, string id) =>
                UserRoutes.Find(scope, id) is { } user && scope.Tenant.Control.Scenarios.Remove(user.Key) ? TypedResults.NoContent() : TypedResults.NotFound())
            .WithSummary("Removes a user's script (its scripted session signs out).");
    }
}
