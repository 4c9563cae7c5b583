using BemsServer.Features.Directory;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace BemsServer.Hosting;

/// <summary>
/// Ready once the directory is loaded and the server has started (Kestrel listens, the WebSocket endpoints accept);
/// not ready again once the server is stopping.
/// </summary>
internal sealed class ReadinessCheck(IHostApplicationLifetime lifetime, DirectorySeedSource directory) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(
            lifetime.ApplicationStopping.IsCancellationRequested ? HealthCheckResult.Unhealthy("The server is stopping.")
            : !lifetime.ApplicationStarted.IsCancellationRequested ? HealthCheckResult.Unhealthy("The server is starting.")
            : !directory.IsLoaded ? HealthCheckResult.Unhealthy("The directory is not loaded.")
            : HealthCheckResult.Healthy());
}
