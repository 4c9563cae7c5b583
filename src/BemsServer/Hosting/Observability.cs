using BemsServer.Diagnostics;
using BemsServer.Dispatch;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace BemsServer.Hosting;

/// <summary>
/// Running the emulator as a service: health probes (<c>/health/live</c>, <c>/health/ready</c>) and metrics
/// (Prometheus at <c>/metrics</c>, OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set). Both are open, as probes and
/// scrapers expect: they carry counts, never a user, a tenant or a message.
/// </summary>
internal static class Observability
{
    public const string LivePath = "/health/live";
    public const string ReadyPath = "/health/ready";
    public const string MetricsPath = "/metrics";
    private const string ReadyTag = "ready";

    public static IServiceCollection AddBemsObservability(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(sp => new BemsMetrics(
            sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), sp.GetRequiredService<ServerStats>(),
            sp.GetRequiredService<MethodTable>().Names));
        services.AddHealthChecks().AddCheck<ReadinessCheck>("ready", tags: [ReadyTag]);
        services.AddOpenTelemetry()
            .ConfigureResource(static resource => resource.AddService("BemsServer"))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(BemsMetrics.MeterName, "Microsoft.AspNetCore.Server.Kestrel", "System.Runtime")
                    .AddPrometheusExporter();
                if (!string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"])) metrics.AddOtlpExporter();
            });
        return services;
    }

    /// <summary>Middlewares ahead of routing, like the WebSocket endpoints: a probe never waits for the admin routes to be built.</summary>
    public static IApplicationBuilder UseBemsObservability(this IApplicationBuilder app)
    {
        app.UseHealthChecks(LivePath, new HealthCheckOptions { Predicate = static _ => false }); // the process answers: alive
        app.UseHealthChecks(ReadyPath, new HealthCheckOptions { Predicate = static check => check.Tags.Contains(ReadyTag) });
        app.UseOpenTelemetryPrometheusScrapingEndpoint(MetricsPath);
        // The instruments exist from the start, so a scrape before the first request already lists them.
        _ = app.ApplicationServices.GetRequiredService<BemsMetrics>();
        return app;
    }
}
