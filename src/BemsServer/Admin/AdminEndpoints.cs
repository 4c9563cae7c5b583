using System.Diagnostics;
using System.Net;
using BemsServer.Features.Sessions;

namespace BemsServer.Admin;

/// <summary>The control API under the reserved <c>/admin</c> prefix, served to loopback clients only.</summary>
public static class AdminEndpoints
{
    public static IEndpointRouteBuilder MapAdmin(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/admin").AddEndpointFilter(async (context, next) =>
        {
            var remote = context.HttpContext.Connection.RemoteIpAddress;
            return remote is null || IPAddress.IsLoopback(remote)
                ? await next(context)
                : TypedResults.Problem("The admin API is served to loopback clients only.", statusCode: StatusCodes.Status403Forbidden);
        });
        admin.MapGet("/process", (ServerStats stats) => TypedResults.Ok(ProcessFigures.Read(stats)));
        return app;
    }
}

/// <summary>Process totals for benchmarks and monitoring: take deltas between two reads.</summary>
public sealed record ProcessFigures(double CpuTimeMs, long AllocatedBytes, long WorkingSetBytes, long GcHeapBytes, long Connections, long Sessions)
{
    public static ProcessFigures Read(ServerStats stats)
    {
        using var process = Process.GetCurrentProcess();
        return new ProcessFigures(process.TotalProcessorTime.TotalMilliseconds, GC.GetTotalAllocatedBytes(precise: false),
            process.WorkingSet64, GC.GetTotalMemory(forceFullCollection: false), stats.Connections, stats.Sessions);
    }
}
