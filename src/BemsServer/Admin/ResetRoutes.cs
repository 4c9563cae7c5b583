using BemsServer.Tenancy;

namespace BemsServer.Admin;

/// <summary><c>POST reset</c>: everything (the tenant starts afresh from the seed) or traffic only.</summary>
internal sealed class ResetRoutes : IAdminRoutes
{
    public void Map(IEndpointRouteBuilder tenant)
    {
        tenant.MapPost("/reset", async (AdminScope scope, TenantRegistry tenants, [Microsoft.AspNetCore.Mvc.FromQuery(Name = "scope")] string? scopeName) =>
            {
                if (string.Equals(scopeName, "traffic", StringComparison.OrdinalIgnoreCase)) TenantOps.ResetTraffic(scope.Tenant);
                else if (scopeName is null || string.Equals(scopeName, "all", StringComparison.OrdinalIgnoreCase)) await TenantOps.DeleteAsync(tenants, scope.Tenant.Name);
                else throw new ArgumentException("'scope' is all or traffic.");
                return TypedResults.NoContent();
            })
            .WithSummary($"Resets the tenant: ?scope=all (default; connections closed with {TenantOps.TenantClosedCode}, state back to the seed) or ?scope=traffic (journal, chats, push records, fault rules).");
    }
}
