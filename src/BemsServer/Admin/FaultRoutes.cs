using BemsServer.Protocol.Admin;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BemsServer.Admin;

/// <summary>Fault injection rules: list, add, remove.</summary>
internal sealed class FaultRoutes : IAdminRoutes
{
    public void Map(IEndpointRouteBuilder tenant)
    {
        tenant.MapGet("/faults", (AdminScope scope) => TypedResults.Ok(scope.Tenant.Control.Faults.List()))
            .WithSummary("Lists the fault rules with their counters (calls matched, call numbers fired at).");
        tenant.MapPost("/faults", (AdminScope scope, FaultSpec body) =>
            {
                var rule = scope.Tenant.Control.Faults.Add(body);
                return TypedResults.Created($"faults/{rule.Id}", rule);
            })
            .WithSummary("Adds a rule: method, user?, session?, nth?; action error|delayProcessing|delayComplete|dropComplete|messageUpdate|close; times?, probability?, seed.");
        tenant.MapDelete("/faults/{id}", Results<NoContent, NotFound> (AdminScope scope, string id) =>
                scope.Tenant.Control.Faults.Remove(id) ? TypedResults.NoContent() : TypedResults.NotFound())
            .WithSummary("Removes a rule.");
        tenant.MapDelete("/faults", (AdminScope scope) =>
            {
                scope.Tenant.Control.Faults.Clear();
                return TypedResults.NoContent();
            })
            .WithSummary("Removes every rule.");
    }
}
