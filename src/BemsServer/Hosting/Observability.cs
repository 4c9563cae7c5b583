using System.Diagnostics.Metrics;
using BemsServer.Diagnostics;
using BemsServer.Dispatch;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using Prometheus;

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

    /// <summary>The meters exported besides the server's own: Kestrel's and the .NET runtime's.</summary>
    public const string KestrelMeter = "Microsoft.AspNetCore.Server.Kestrel";

    /// <summary>
    /// Kestrel's one instrument left out of <c>/metrics</c>: while anyone listens to it, Kestrel keeps a list of tags for
    /// every open connection (776 B per idle WebSocket, measured by heap dump), and a WebSocket's whole life is one
    /// "connection duration". <c>bems.connections</c> and Kestrel's active and upgraded connection counts say the rest.
    /// </summary>
    public const string KestrelConnectionDuration = "kestrel.connection.duration";
    public const string RuntimeMeter = "System.Runtime";

    public static IServiceCollection AddBemsObservability(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(sp => new BemsMetrics(
            sp.GetRequiredService<IMeterFactory>(), sp.GetRequiredService<ServerStats>(),
            sp.GetRequiredService<MethodTable>().Names, sp.GetRequiredService<PrometheusExport>().Factory));
        services.AddSingleton(sp => new PrometheusExport(sp.GetRequiredService<IMeterFactory>()));
        services.AddHealthChecks().AddCheck<ReadinessCheck>("ready", tags: [ReadyTag]);
        if (!string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            services.AddOpenTelemetry()
                .ConfigureResource(static resource => resource.AddService("BemsServer"))
                .WithMetrics(static metrics => metrics.AddMeter(BemsMetrics.MeterName, KestrelMeter, RuntimeMeter).AddOtlpExporter());
        }
        return services;
    }

    /// <summary>Middlewares ahead of routing, like the WebSocket endpoints: a probe never waits for the admin routes to be built.</summary>
    public static IApplicationBuilder UseBemsObservability(this IApplicationBuilder app)
    {
        app.UseHealthChecks(LivePath, new HealthCheckOptions { Predicate = static _ => false }); // the process answers: alive
        app.UseHealthChecks(ReadyPath, new HealthCheckOptions { Predicate = static check => check.Tags.Contains(ReadyTag) });
        var export = app.ApplicationServices.GetRequiredService<PrometheusExport>();
        app.UseMetricServer(settings => settings.Registry = export.Registry, MetricsPath);
        // The instruments exist from the start, so a scrape before the first request already lists them.
        _ = app.ApplicationServices.GetRequiredService<BemsMetrics>();
        return app;
    }
}

/// <summary>
/// The <c>/metrics</c> registry: prometheus-net's meter adapter turns this server's instruments (the ones its own
/// <see cref="IMeterFactory"/> made, so two servers in one test process never mix) and the runtime's into Prometheus
/// series named <c>{meter}_{instrument}</c> (counters become gauges that only grow: the adapter's choice).
/// </summary>
internal sealed class PrometheusExport : IDisposable
{
    private readonly IDisposable _adapter;

    public PrometheusExport(IMeterFactory meters)
    {
        Registry = Metrics.NewCustomRegistry();
        Factory = Metrics.WithCustomRegistry(Registry);
        _adapter = MeterAdapter.StartListening(new MeterAdapterOptions
        {
            Registry = Registry,
            MetricFactory = Factory,
            InstrumentFilterPredicate = instrument => instrument.Meter.Name == Observability.RuntimeMeter
                || (ReferenceEquals(instrument.Meter.Scope, meters) && instrument.Meter.Name is BemsMetrics.MeterName or Observability.KestrelMeter
                    && instrument.Name is not (Observability.KestrelConnectionDuration or BemsMetrics.DurationName)), // BemsMetrics exports its duration itself
            // The adapter drops a series after this long without a measurement (at most a day, its limit): a count
            // idle that long starts again from its next measurement. Gauges are read at every scrape and never expire.
            MetricsExpireAfter = TimeSpan.FromDays(1),
            ResolveHistogramBuckets = static instrument => instrument is Histogram<double> { Advice.HistogramBucketBoundaries: { } bounds }
                ? [.. bounds]
                : MeterAdapterOptions.DefaultHistogramBuckets,
        });
    }

    public CollectorRegistry Registry { get; }

    /// <summary>Makes metrics in <see cref="Registry"/>: the server's request duration is observed into it directly.</summary>
    public IMetricFactory Factory { get; }

    public void Dispose() => _adapter.Dispose();
}
