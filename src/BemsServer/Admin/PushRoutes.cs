using BemsServer.Features.Background;
using BemsServer.Features.Directory;
using BemsServer.Protocol.Admin;

namespace BemsServer.Admin;

/// <summary>The pushes recorded for sessions in background mode (what the server would hand to the NOC), oldest first.</summary>
internal sealed class PushRoutes : IAdminRoutes
{
    public void Map(IEndpointRouteBuilder tenant)
    {
        tenant.MapGet("/pushes", (AdminScope scope, string? user, int? limit) =>
            {
                IReadOnlyList<PushRecord> records = scope.Tenant.Pushes.Snapshot();
                if (user is not null)
                {
                    if (!ContactAddress.TryNormalize(user, out var key)) throw new ArgumentException($"'{user}' is not a user id.");
                    var uri = ContactAddress.ToUri(key);
                    records = [.. records.Where(r => r.UserId == uri)];
                }
                if (limit is { } last) records = [.. records.TakeLast(Math.Clamp(last, 1, PushLog.Capacity))];
                return TypedResults.Ok(records);
            })
            .WithSummary("Lists the push records, oldest first, optionally only ?user= (any spelling) and only the newest ?limit=.");
        tenant.MapDelete("/pushes", (AdminScope scope) =>
            {
                scope.Tenant.Pushes.Clear();
                return TypedResults.NoContent();
            })
            .WithSummary("Forgets every push record.");
    }
}
