using BemsServer.Admin;

namespace BemsServer.Dashboard;

/// <summary><c>GET advice</c>: the protocol mistakes the tenant's clients made, as the console's Advice tab lists them.</summary>
internal sealed class AdviceRoutes : IAdminRoutes
{
    public void Map(IEndpointRouteBuilder tenant)
    {
        tenant.MapGet("/advice", (AdminScope scope, Advisor advisor, string? rule, string? user, string? connection) =>
                TypedResults.Ok(advisor.For(scope.Tenant).Where(a =>
                    (rule is null || a.Rule == rule)
                    && (connection is null || a.Connection == connection)
                    && (user is null || (a.User is not null && Features.Directory.ContactAddress.TryNormalize(user, out var key) && key == a.User))).ToList()))
            .WithSummary("Protocol mistakes of the tenant's clients (rule, title, spec rule, connection, user, frame), oldest first; ?rule=, ?user=, ?connection= narrow it. Empty when every client behaved.");
    }
}
