using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using BemsServer.Control;
using BemsServer.Diagnostics;
using BemsServer.Protocol.Admin;

namespace BemsServer.Admin;

/// <summary>
/// The control API under the reserved <c>/admin</c> prefix. Process-wide routes (process, tenants, clock, the OpenAPI
/// document and reference page) live at <c>/admin/…</c>; every tenant resource is served twice, at <c>/admin/…</c> for
/// the default tenant and at <c>/admin/t/{tenant}/…</c> for a named one. A tenant resource is one class implementing
/// <see cref="IAdminRoutes"/>, listed in <see cref="Resources"/>; the composition adds those of other parts (the
/// console's advice) to <see cref="MapAdmin"/>.
/// </summary>
internal static class AdminEndpoints
{
    public const string Prefix = "/admin";
    public const string OpenApiPath = Prefix + "/openapi/{documentName}.json";

    public static IServiceCollection AddBemsAdmin(this IServiceCollection services)
    {
        services.AddOptions<AdminOptions>().BindConfiguration(AdminOptions.SectionName)
            .Validate(o => string.IsNullOrEmpty(o.SnapshotFile) || File.Exists(o.SnapshotFile), "Bems:Admin:SnapshotFile does not exist.").ValidateOnStart();
        services.AddOptions<JournalOptions>().BindConfiguration(JournalOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<JournalFeed>();
        services.AddSingleton<FrameJournal>();
        services.ConfigureHttpJsonOptions(static o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
            o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        });
        // The admin API, and the BEMS services' routes (which mark themselves with the group name "bems-services").
        services.AddOpenApi(static o => o.ShouldInclude = static d =>
            d.RelativePath?.StartsWith("admin", StringComparison.Ordinal) == true || d.GroupName == "bems-services");
        return services;
    }

    /// <param name="more">Tenant resources of other parts of the server, mapped first, as the admin API's own.</param>
    public static WebApplication MapAdmin(this WebApplication app, params IAdminRoutes[] more)
    {
        app.UseMiddleware<AdminGuard>();
        app.MapOpenApi(OpenApiPath);
        var admin = app.MapGroup(Prefix).AddEndpointFilter(static async (context, next) =>
        {
            try
            {
                return await next(context);
            }
            catch (ArgumentException ex)
            {
                return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status400BadRequest);
            }
        });
        admin.MapGet("/", ReferencePage.Render).WithSummary("This reference page (HTML).").ExcludeFromDescription();
        admin.MapGet("/process", (ServerStats stats) => TypedResults.Ok(AdminViews.ReadProcess(stats)))
            .WithSummary("Process totals (CPU, allocations, memory, connections, sessions) for benchmarks.");
        ProcessRoutes.Map(admin);

        var tenantScoped = admin.MapGroup("/t/{tenant}");
        foreach (var routes in more.Concat(Resources))
        {
            routes.Map(admin);
            routes.Map(tenantScoped);
        }
        SnapshotRoutes.ImportOnStart(app);
        return app;
    }

    /// <summary>
    /// Every tenant resource, listed (not found by reflection: scanning the assembly's types at start loads every
    /// assembly they derive from, Orleans's included, on a server that runs no cluster).
    /// </summary>
    private static readonly IAdminRoutes[] Resources =
    [
        new ChatRoutes(), new FaultRoutes(), new InjectRoutes(), new JournalRoutes(), new PushRoutes(), new PushTokenRoutes(),
        new ResetRoutes(), new RoomInjectRoutes(), new RoomRoutes(), new ScenarioRoutes(), new SessionRoutes(), new SnapshotRoutes(),
        new UserRoutes(),
    ];
}

/// <summary>One tenant resource's routes, mapped on <c>/admin</c> (default tenant) and <c>/admin/t/{tenant}</c>.</summary>
internal interface IAdminRoutes
{
    void Map(IEndpointRouteBuilder tenant);
}

internal static partial class AdminViews
{
    /// <summary>Process totals for benchmarks and monitoring: take deltas between two reads.</summary>
    public static ProcessFigures ReadProcess(ServerStats stats)
    {
        using var process = Process.GetCurrentProcess();
        return new ProcessFigures(process.TotalProcessorTime.TotalMilliseconds, GC.GetTotalAllocatedBytes(precise: false),
            process.WorkingSet64, GC.GetTotalMemory(forceFullCollection: false), stats.Connections, stats.Sessions,
            System.Runtime.JitInfo.GetCompiledMethodCount(currentThread: false), GC.CollectionCount(1), ThreadPool.CompletedWorkItemCount);
    }
}
