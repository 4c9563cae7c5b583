using BemsServer.Control;
using BemsServer.Features.PersonalContacts;
using BemsServer.Features.Presence;
using BemsServer.Transport;

namespace BemsServer.Services;

/// <summary>
/// BEMS's services beside Connect, over HTTP: Directory Lookup, Presence, Contact, GNP (notify, checkToken,
/// verifyGDAuthToken) and the emulator's live push channel. Every route is served twice, at the root for the default
/// tenant and under <c>/t/{tenant}/</c> for a named one, and listed in the OpenAPI document (group
/// <see cref="OpenApiGroup"/>). A refused request gets a problem body (RFC 7807) naming what is wrong, and a log line.
/// In cluster mode the tenants live on the silos, which these routes do not reach yet: they answer 501.
/// </summary>
internal static partial class ServiceEndpoints
{
    public const string OpenApiGroup = "bems-services";
    private const string TenantPrefix = "/t/{tenant}";

    /// <summary>The first segments of the services' paths below a tenant's prefix (the WebSocket middleware lets them through).</summary>
    private static readonly string[] Roots = ["/api/", "/presence/", "/GNP1.0", "/verifyGDAuthToken", "/gnp/"];

    public static IServiceCollection AddBemsServices(this IServiceCollection services)
    {
        services.AddOptions<PresenceOptions>().BindConfiguration(PresenceOptions.SectionName).ValidateDataAnnotations()
            .Validate(static o => o.SubscriptionTimeout > TimeSpan.Zero, "Bems:Presence:SubscriptionTimeout must be positive.").ValidateOnStart();
        services.AddOptions<PersonalContactsOptions>().BindConfiguration(PersonalContactsOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ServiceGate>();
        return services;
    }

    /// <summary>Whether a path below <c>/t/{tenant}</c> is a service's (not a Connect WebSocket's).</summary>
    public static bool Owns(ReadOnlySpan<char> pathBelowTenant)
    {
        foreach (var root in Roots)
            if (pathBelowTenant.StartsWith(root, StringComparison.OrdinalIgnoreCase)) return true;
        return false;
    }

    public static WebApplication MapBemsServices(this WebApplication app)
    {
        var clustered = app.Services.GetRequiredService<IWebSocketEngine>() is not LocalEngine;
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ServiceEndpoints).FullName!);
        var gate = app.Services.GetRequiredService<ServiceGate>();
        var journal = app.Services.GetRequiredService<FrameJournal>();
        var time = app.Services.GetRequiredService<TimeProvider>();
        foreach (var group in new[] { app.MapGroup(""), app.MapGroup(TenantPrefix) })
        {
            group.WithGroupName(OpenApiGroup).AddEndpointFilter(async (context, next) =>
            {
                var http = context.HttpContext;
                if (clustered)
                    return Refuse(logger, http.Request, new ServiceProblem(StatusCodes.Status501NotImplemented,
                        "The BEMS services (lookup, presence, contact, GNP) are served by the single-node engine only; this server runs in cluster mode."));
                ServiceJournal.Call? call = null;
                try
                {
                    // The call goes in its tenant's journal (the live push channel's pushes are in the push log instead).
                    var tenant = gate.Resolve(http);
                    if (!http.WebSockets.IsWebSocketRequest) call = ServiceJournal.Begin(http, journal, tenant);
                    var (replaced, hold) = ServiceFaults.Apply(http, tenant, gate, time);
                    if (replaced is not null) return replaced;
                    var answer = await next(context);
                    if (hold is not null) await hold;
                    return answer;
                }
                catch (ServiceProblem problem)
                {
                    return Refuse(logger, http.Request, problem);
                }
                finally
                {
                    if (call is not null) await call.RecordRequestAsync();
                }
            });
            LookupRoutes.Map(group);
            PresenceRoutes.Map(group);
            ContactRoutes.Map(group);
            GnpRoutes.Map(group);
            PushChannelEndpoint.Map(group);
        }
        return app;
    }

    /// <summary>The tenant named by the route (null: the default tenant); never from the query string.</summary>
    public static string? TenantName(HttpContext context) => context.GetRouteValue("tenant") as string;

    private static IResult Refuse(ILogger logger, HttpRequest request, ServiceProblem problem)
    {
        LogRefused(logger, request.Method, request.Path, problem.Status, problem.Message);
        return TypedResults.Problem(problem.Message, statusCode: problem.Status);
    }

    [LoggerMessage(EventId = 901, Level = LogLevel.Warning, Message = "Service request {Method} {Path} refused with {Status}: {Detail}")]
    private static partial void LogRefused(ILogger logger, string method, string path, int status, string detail);
}
