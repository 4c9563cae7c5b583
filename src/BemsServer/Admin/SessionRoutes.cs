using BemsServer.Protocol.Admin;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BemsServer.Admin;

/// <summary>Sessions: list, and force-close with a chosen WebSocket close code.</summary>
internal sealed class SessionRoutes : IAdminRoutes
{
    public const int DefaultCloseCode = 4000;

    public void Map(IEndpointRouteBuilder tenant)
    {
        tenant.MapGet("/sessions", (AdminScope scope) =>
            {
                var connections = scope.Tenant.Control.Connections.Where(static c => c.Client.Session is not null)
                    .ToDictionary(static c => c.Client.Session!, static c => c.Client.Id);
                return TypedResults.Ok(scope.Tenant.Sessions.All.OrderBy(static s => s.Id, StringComparer.Ordinal)
                    .Select(s => new SessionView(s.Id, s.User.Uri, s.DeviceToken, s.ApiVersion, s.Started,
                        DirectoryAdmin.IsSimulated(s), connections.GetValueOrDefault(s))).ToList());
            })
            .WithSummary("Lists the signed-in sessions (simulated and scripted users included).");
        tenant.MapDelete("/sessions/{id}", Results<NoContent, NotFound, ProblemHttpResult> (AdminScope scope, string id, int? code, string? reason) =>
            {
                var closeCode = code ?? DefaultCloseCode;
                if (closeCode is not (1000 or >= 3000 and <= 4999))
                    return TypedResults.Problem("'code' must be 1000 or 3000-4999.", statusCode: StatusCodes.Status400BadRequest);
                var connection = scope.Tenant.Control.Connections.FirstOrDefault(c => c.Client.Session?.Id == id);
                if (connection is not null)
                {
                    connection.Close(closeCode, reason);
                    return TypedResults.NoContent();
                }
                // A simulated or scripted user has no socket: closing its session takes it offline.
                var session = scope.Tenant.Sessions.All.FirstOrDefault(s => s.Id == id);
                if (session is null) return TypedResults.NotFound();
                scope.Tenant.Sessions.Unregister(session);
                return TypedResults.NoContent();
            })
            .WithSummary($"Force-closes a session's connection with ?code= (default {DefaultCloseCode}) and optional ?reason=.");
    }
}
