using BemsServer.Features.Background;
using BemsServer.Features.Directory;
using BemsServer.Protocol.Admin;

namespace BemsServer.Admin;

/// <summary>The pushes recorded for sessions in background mode (what the server would hand to the NOC), oldest first.</summary>
internal sealed class PushRoutes : IAdminRoutes
{
    public void Map(IEndpointRouteBuilder tenant)
    {
        tenant.MapGet("/pushes", (AdminScope scope, string? user) =>
            {
                var records = scope.Tenant.Pushes.Snapshot();
                if (user is null) return TypedResults.Ok(records);
                if (!ContactAddress.TryNormalize(user, out var key)) throw new ArgumentException($"'{user}' is not a user id.");
                var uri = ContactAddress.ToUri(key);
                return TypedResults.Ok<IReadOnlyList<PushRecord>>([.. records.Where(r => r.UserId == uri)]);
            })
            .WithSummary("Lists the push records, optionally only ?user= (any spelling).");
        tenant.MapDelete("/pushes", (AdminScope scope) =>
            {
                scope.Tenant.Pushes.Clear();
                return TypedResults.NoContent();
            })
            .WithSummary("Forgets every push record.");
    }
}
