using BemsServer.Control;
using BemsServer.Protocol.Admin;
using BemsServer.Protocol.Services;
using BemsServer.Tenancy;

namespace BemsServer.Services;

/// <summary>
/// The tenant's fault rules applied to the BEMS services' HTTP calls: a rule whose <c>method</c> is the route
/// (<c>POST /api/lookupuser</c>, <c>GET /presence/subscriptions/{notify}</c>, <c>POST /GNP1.0</c>, …) and whose
/// optional <c>user</c> is the caller its auth token names fires as the rule says: <c>error</c> answers a problem with
/// <c>errorCode</c> as the HTTP status when it is one (400–599), else 500, and <c>errorMessage</c>, without running the
/// handler; <c>delayProcessing</c> and <c>delayComplete</c> run the handler (its effects happen) and hold the answer until
/// <c>delay</c> has passed on the server's clock since the call came (the virtual clock's advance releases it);
/// <c>close</c> and <c>dropComplete</c> abort the connection without an answer or a handler; <c>messageUpdate</c>, which
/// has no HTTP meaning, answers 500.
/// </summary>
internal static class ServiceFaults
{
    /// <summary>
    /// What a firing rule does to the call: an answer that replaces it, or a hold the answer waits for (its timer armed
    /// now, before the handler runs, so a test that sees the handler's effect and then advances the clock releases it);
    /// both null when no rule fires.
    /// </summary>
    public static (IResult? Answer, Task? Hold) Apply(HttpContext context, Tenant tenant, ServiceGate gate, TimeProvider time)
    {
        var faults = tenant.Control.Faults;
        if (!faults.Any) return default;
        var method = ServiceJournal.MethodOf(context);
        if (faults.FireHttp(method, CallerKey(context, gate)) is not { } fault) return default;
        switch (fault.Action)
        {
            case FaultAction.DelayProcessing or FaultAction.DelayComplete:
                return (null, Task.Delay(fault.Delay, time, context.RequestAborted));
            case FaultAction.Close or FaultAction.DropComplete:
                context.Abort();
                return (TypedResults.Empty, null);
            default:
                var status = fault.Action == FaultAction.Error && fault.ErrorCode is >= 400 and <= 599 ? fault.ErrorCode : StatusCodes.Status500InternalServerError;
                throw new ServiceProblem(status, $"{fault.ErrorMessage} (fault rule on {method}).");
        }
    }

    /// <summary>The user the request's auth token names, when it names one (the handler still checks the token itself).</summary>
    private static string? CallerKey(HttpContext context, ServiceGate gate)
    {
        var token = context.Request.Headers[ServiceHeaders.AuthToken].ToString();
        if (string.IsNullOrWhiteSpace(token)) return null;
        try
        {
            return gate.UserOf(token, "fault");
        }
        catch (ServiceProblem)
        {
            return null;
        }
    }
}
