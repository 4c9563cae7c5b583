using BemsServer.Diagnostics;
using BemsServer.Features.Directory;
using BemsServer.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace BemsServer.Tests.Diagnostics;

public sealed class ReadinessCheckTests
{
    private readonly Lifetime _lifetime = new();
    private readonly DirectorySeedSource _directory = new(Options.Create(new DirectoryOptions()));

    private async Task<HealthStatus> CheckAsync() =>
        (await new ReadinessCheck(_lifetime, _directory).CheckHealthAsync(new HealthCheckContext())).Status;

    [Fact]
    public async Task Check_BeforeTheServerStarted_IsUnhealthy()
    {
        _ = _directory.Users;

        (await CheckAsync()).Should().Be(HealthStatus.Unhealthy);
    }

    [Fact]
    public async Task Check_StartedWithoutTheDirectory_IsUnhealthy()
    {
        _lifetime.Started.Cancel();

        (await CheckAsync()).Should().Be(HealthStatus.Unhealthy);
    }

    [Fact]
    public async Task Check_StartedWithTheDirectoryLoaded_IsHealthy()
    {
        _ = _directory.Users;
        _lifetime.Started.Cancel();

        (await CheckAsync()).Should().Be(HealthStatus.Healthy);
    }

    [Fact]
    public async Task Check_WhileStopping_IsUnhealthy()
    {
        _ = _directory.Users;
        _lifetime.Started.Cancel();
        _lifetime.Stopping.Cancel();

        (await CheckAsync()).Should().Be(HealthStatus.Unhealthy);
    }

    private sealed class Lifetime : IHostApplicationLifetime
    {
        public CancellationTokenSource Started { get; } = new();
        public CancellationTokenSource Stopping { get; } = new();
        public CancellationToken ApplicationStarted => Started.Token;
        public CancellationToken ApplicationStopping => Stopping.Token;
        public CancellationToken ApplicationStopped => CancellationToken.None;
        public void StopApplication() => Stopping.Cancel();
    }
}
