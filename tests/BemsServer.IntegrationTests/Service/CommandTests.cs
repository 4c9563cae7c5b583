using System.Net;
using System.Net.Sockets;
using System.Reflection;
using BemsServer.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace BemsServer.IntegrationTests.Service;

/// <summary>The <c>bems-server</c> subcommands, run in-process: <c>--version</c> and <c>healthcheck</c> (container health checks).</summary>
public sealed class CommandTests(BemsHost host) : IClassFixture<BemsHost>
{
    private static readonly TimeSpan Bound = Commands.HealthTimeout + TimeSpan.FromSeconds(10);
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();

    [Fact]
    public async Task Version_PrintsTheInformationalVersion_AndExits0()
    {
        var exit = await Commands.RunAsync(["--version"], _output, _error).WaitAsync(Bound);

        exit.Should().Be(0);
        var expected = typeof(BemsApp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;
        _output.ToString().Should().Be(expected + Environment.NewLine);
        expected.Should().StartWith(typeof(BemsApp).Assembly.GetName().Version!.ToString(3), "the package version (Directory.Build.props)");
    }

    [Fact]
    public async Task HealthCheck_AgainstAReadyServer_PrintsHealthy_AndExits0()
    {
        var exit = await Commands.RunAsync(["healthcheck", "--url", host.BaseAddress.AbsoluteUri.TrimEnd('/')], _output, _error).WaitAsync(Bound);

        exit.Should().Be(0, _output.ToString());
        _output.ToString().Should().Be($"healthy: {host.BaseAddress}health/ready answered 200 Healthy{Environment.NewLine}");
    }

    [Fact]
    public async Task HealthCheck_AgainstAClosedPort_PrintsUnhealthy_AndExits1()
    {
        var port = ClosedPort();

        var exit = await Commands.RunAsync(["healthcheck", "--url", $"http://127.0.0.1:{port}"], _output, _error).WaitAsync(Bound);

        exit.Should().Be(1);
        _output.ToString().Should().StartWith($"unhealthy: http://127.0.0.1:{port}/health/ready: ").And.EndWith(Environment.NewLine)
            .And.Subject.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().ContainSingle("one line");
    }

    [Fact]
    public async Task HealthCheck_AServerAnswering503_PrintsUnhealthy_AndExits1()
    {
        var builder = WebApplication.CreateSlimBuilder(["--urls", "http://127.0.0.1:0"]);
        builder.Logging.ClearProviders();
        await using var stopping = builder.Build();
        stopping.MapGet("/health/ready", static () => Results.Text("Unhealthy", statusCode: StatusCodes.Status503ServiceUnavailable));
        await stopping.StartAsync().WaitAsync(Bound);
        var url = stopping.Urls.Single();

        var exit = await Commands.RunAsync(["healthcheck", "--url", url], _output, _error).WaitAsync(Bound);

        exit.Should().Be(1);
        _output.ToString().Should().Be($"unhealthy: {url}/health/ready answered 503 Unhealthy{Environment.NewLine}");
        await stopping.StopAsync().WaitAsync(Bound);
    }

    [Theory]
    [InlineData("--port")]
    [InlineData("--url", "localhost:8080")]
    public async Task HealthCheck_ArgumentsNotUnderstood_PrintsUsage_AndExits1(params string[] args)
    {
        var exit = await Commands.RunAsync(["healthcheck", .. args], _output, _error).WaitAsync(Bound);

        exit.Should().Be(1);
        _error.ToString().Should().StartWith("usage: bems-server healthcheck");
    }

    /// <summary>A loopback port nothing listens on: bound once by the system, then released.</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
