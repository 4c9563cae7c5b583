using BemsServer.Control;
using BemsServer.Diagnostics;
using BemsServer.Protocol.Admin;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BemsServer.Admin;

/// <summary>The frame journal: query it, or long-poll for the first frame matching a filter (past or future).</summary>
internal sealed class JournalRoutes : IAdminRoutes
{
    public const int DefaultLimit = 1000;
    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan MaxWait = TimeSpan.FromMinutes(5);

    public void Map(IEndpointRouteBuilder tenant)
    {
        tenant.MapGet("/journal", (AdminScope scope, [AsParameters] JournalQuery query, int? limit) =>
                TypedResults.Ok(scope.Tenant.Control.Journal.Query(query.ToFilter(), Math.Clamp(limit ?? DefaultLimit, 1, 100_000))))
            .WithSummary("Frames in journal order, filtered by direction, kind, method, user, session, connection, id, answers, after, since, until, contains.");
        tenant.MapGet("/journal/wait", async Task<Results<Ok<JournalEntry>, ProblemHttpResult>> (
                AdminScope scope, [AsParameters] JournalQuery query, double? timeout, CancellationToken aborted) =>
            {
                var wait = timeout is { } seconds ? TimeSpan.FromSeconds(Math.Clamp(seconds, 0, MaxWait.TotalSeconds)) : DefaultWait;
                var entry = await scope.Tenant.Control.Journal.WaitForAsync(query.ToFilter(), wait, aborted);
                return entry is not null
                    ? TypedResults.Ok(entry)
                    : TypedResults.Problem($"No matching frame within {wait.TotalSeconds:0.###} s.", statusCode: StatusCodes.Status408RequestTimeout);
            })
            .WithSummary("Long-poll: the first frame (already journaled or still to come) matching the same filters; 408 after ?timeout= seconds (default 10).");
        tenant.MapGet("/journal.har", (AdminScope scope, HttpRequest request) =>
            {
                var journal = scope.Tenant.Control.Journal.Query(new JournalFilter(), int.MaxValue);
                var har = JournalHar.Build(journal, JournalHar.WebSocketBase(request, scope.Tenant), ServerVersion.Informational);
                return TypedResults.File(JournalHar.Serialize(har), "application/json", $"bems-{scope.Tenant.Name}.har");
            })
            .WithSummary("The journal as a HAR 1.2 file: one entry per WebSocket connection, its frames in _webSocketMessages (send: client to server), as Chrome DevTools exports and imports.");
        tenant.MapDelete("/journal", (AdminScope scope) =>
            {
                scope.Tenant.Control.Journal.Clear();
                return TypedResults.NoContent();
            })
            .WithSummary("Empties the journal (and its dropped counter).");
    }
}
