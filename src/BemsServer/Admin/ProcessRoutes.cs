using BemsServer.Protocol.Admin;
using BemsServer.Tenancy;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Time.Testing;

namespace BemsServer.Admin;

/// <summary>Process-wide routes: the tenants and the virtual clock.</summary>
internal static class ProcessRoutes
{
    public static void Map(IEndpointRouteBuilder admin)
    {
        admin.MapGet("/tenants", (TenantRegistry tenants) => TypedResults.Ok(tenants.All.Select(AdminViews.Of).OrderBy(static t => t.Name, StringComparer.Ordinal).ToList()))
            .WithSummary("Lists the tenants in use.");
        admin.MapPost("/tenants/{name}", Results<Created<TenantView>, Ok<TenantView>, ProblemHttpResult> (string name, TenantRegistry tenants) =>
            {
                var existed = tenants.Find(name) is not null;
                var refusal = tenants.TryGetOrCreate(name, out var tenant);
                if (refusal != TenantRefusal.None)
                    return TypedResults.Problem(tenants.Describe(refusal, name),
                        statusCode: refusal == TenantRefusal.Full ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status400BadRequest);
                return existed ? TypedResults.Ok(AdminViews.Of(tenant!)) : TypedResults.Created($"/admin/t/{name}/", AdminViews.Of(tenant!));
            })
            .WithSummary("Creates a tenant (in strict auth mode, the way to open one not listed in Bems:Tenants:Allowed). 201 when new, 200 when it existed.");
        admin.MapDelete("/tenants/{name}", async Task<Results<NoContent, NotFound>> (string name, TenantRegistry tenants) =>
                await TenantOps.DeleteAsync(tenants, name) ? TypedResults.NoContent() : TypedResults.NotFound())
            .WithSummary($"Deletes a tenant: its connections are closed with {TenantOps.TenantClosedCode}; the next use of the name starts afresh.");

        admin.MapGet("/clock", (TimeProvider time) => TypedResults.Ok(AdminViews.Of(time)))
            .WithSummary("The server's clock: its mode (system or virtual) and current time.");
        admin.MapPost("/clock/advance", Results<Ok<ClockView>, ProblemHttpResult> (ClockAdvance body, TimeProvider time) =>
            {
                if (time is not FakeTimeProvider fake) return NotVirtual();
                if (body.By < TimeSpan.Zero) return TypedResults.Problem("'by' must not be negative.", statusCode: StatusCodes.Status400BadRequest);
                fake.Advance(body.By);
                return TypedResults.Ok(AdminViews.Of(time));
            })
            .WithSummary("Virtual clock: moves time forward by 'by' (e.g. \"00:01:00\"), firing every timer that falls due.");
        admin.MapPost("/clock/set", Results<Ok<ClockView>, ProblemHttpResult> (ClockSet body, TimeProvider time) =>
            {
                if (time is not FakeTimeProvider fake) return NotVirtual();
                if (body.To < time.GetUtcNow()) return TypedResults.Problem("The clock only moves forward.", statusCode: StatusCodes.Status400BadRequest);
                fake.SetUtcNow(body.To);
                return TypedResults.Ok(AdminViews.Of(time));
            })
            .WithSummary("Virtual clock: moves time forward to 'to' (an ISO 8601 instant).");
    }

    private static ProblemHttpResult NotVirtual() =>
        TypedResults.Problem("The clock is the system clock; start the server with Bems:Clock:Mode=Virtual.", statusCode: StatusCodes.Status409Conflict);
}

internal static partial class AdminViews
{
    public static TenantView Of(Tenant t) => new(t.Name, t.Directory.Users.Count, t.Sessions.Count, t.Chats.Chats.Count(),
        t.Control.Connections.Count, t.Control.Faults.List().Count);

    public static ClockView Of(TimeProvider time) => new(time is FakeTimeProvider ? "virtual" : "system", time.GetUtcNow());
}
