using BemsServer.Admin;
using BemsServer.Protocol.Admin;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BemsServer.Certification;

/// <summary>
/// Certification runs (docs/certification.md), a tenant resource of the admin API as the console's advice is: start one
/// for a user's client, follow it, read its JUnit report.
/// </summary>
internal sealed class CertifyRoutes : IAdminRoutes
{
    public void Map(IEndpointRouteBuilder tenant)
    {
        tenant.MapGet("/certify/cases", () => TypedResults.Ok(CertificationCases.All.Select(static c => c.Info).ToList()))
            .WithSummary("The certification cases: stable name, interactive or not, rule, window and how each is judged.");
        tenant.MapPost("/certify", Results<Accepted<CertificationRunView>, ProblemHttpResult> (AdminScope scope, CertifyRequest body, Certifier certifier) =>
            {
                try
                {
                    var run = certifier.Start(scope.Tenant, body);
                    return TypedResults.Accepted($"certify/{run.Id}", run.View());
                }
                catch (InvalidOperationException ex)
                {
                    return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status409Conflict);
                }
            })
            .WithSummary("Starts a run: { user, cases?, wait? } (cases: every automatic one when absent). 202 with the run; 409 when the user's run is going on.");
        tenant.MapGet("/certify", (AdminScope scope, Certifier certifier) => TypedResults.Ok(certifier.Runs(scope.Tenant).Select(static r => r.View()).ToList()))
            .WithSummary($"The tenant's runs (the newest {Certifier.MaxRunsPerTenant}), oldest first.");
        tenant.MapGet("/certify/{id}", Results<Ok<CertificationRunView>, NotFound> (AdminScope scope, string id, Certifier certifier) =>
                certifier.Find(scope.Tenant, id) is { } run ? TypedResults.Ok(run.View()) : TypedResults.NotFound())
            .WithSummary("A run's progress and verdicts (each naming its rule and the journal numbers of its frames).");
        tenant.MapGet("/certify/{id}/junit.xml", Results<ContentHttpResult, NotFound> (AdminScope scope, string id, Certifier certifier) =>
                certifier.Find(scope.Tenant, id) is { } run
                    ? TypedResults.Text(CertificationReport.ToJUnit(run.View()), "application/xml")
                    : TypedResults.NotFound())
            .WithSummary("A run's JUnit XML report: one testcase per case, a failure naming the rule and the frames.");
    }
}
