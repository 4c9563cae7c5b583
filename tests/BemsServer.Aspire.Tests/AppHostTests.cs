using System.Net.WebSockets;
using System.Reflection;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using BemsServer.Client;

namespace BemsServer.Aspire.Tests;

/// <summary>
/// An app host started by Aspire's orchestrator (DCP) runs the emulator from the repository's build output
/// (WithServerAssembly); the test waits for the resource's health check, signs in over its connection string and runs
/// the dashboard commands as the dashboard would.
/// </summary>
public sealed class AppHostTests
{
    private static readonly string ServerAssembly = typeof(AppHostTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "BemsServerAssembly").Value!;

    [Fact]
    public async Task AppHost_RunsTheEmulator_ClientSignsInOverTheConnectionStringAndTheCommandsWork()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var ct = timeout.Token;
        using var builder = DistributedApplicationTestingBuilder.Create();
        builder.AddBemsServer("bems").WithServerAssembly(ServerAssembly).WithVirtualClock().WithTenant("aspire");
        builder.AddBemsServer("plain").WithServerAssembly(ServerAssembly);
        await using var app = await builder.BuildAsync(ct);
        await app.StartAsync(ct);
        await app.ResourceNotifications.WaitForResourceHealthyAsync("bems", ct);
        await app.ResourceNotifications.WaitForResourceHealthyAsync("plain", ct);
        (await app.GetConnectionStringAsync("plain", ct)).Should().MatchRegex(@"^ws://localhost:\d+/$");

        var connectionString = await app.GetConnectionStringAsync("bems", ct);
        connectionString.Should().MatchRegex(@"^ws://localhost:\d+/t/aspire/$");
        await using var alice = await BemsClient.ConnectAsync(new Uri(connectionString!), cancellationToken: ct);
        await alice.BeginSessionAsync("alice@example.com", cancellationToken: ct);

        // Advance clock 1 min: an invitation nobody answers times out on the virtual clock.
        var sending = alice.SendMessageAsync("ignore@example.com", "hello?", cancellationToken: ct);
        using var http = new HttpClient { BaseAddress = new Uri(app.GetEndpoint("bems", "ws"), "admin/t/aspire/"), Timeout = TimeSpan.FromSeconds(30) };
        (await http.GetAsync(new Uri("journal/wait?kind=response&method=SendMessage&timeout=20", UriKind.Relative), ct))
            .EnsureSuccessStatusCode();
        var advanced = await app.ResourceCommands.ExecuteCommandAsync("bems", BemsServerBuilderExtensions.AdvanceClockCommandName, ct);
        advanced.Success.Should().BeTrue(advanced.Message);
        (await sending.WaitAsync(ct)).Kind.Should().Be(SendOutcomeKind.TimedOut);

        // Open console: a link to the console, which answers.
        var console = await app.ResourceCommands.ExecuteCommandAsync("bems", BemsServerBuilderExtensions.OpenConsoleCommandName, ct);
        console.Success.Should().BeTrue(console.Message);
        var consoleUrl = new Uri(app.GetEndpoint("bems", "console"), "console/");
        console.Data!.Value.Should().Contain(consoleUrl.ToString());
        (await http.GetAsync(consoleUrl, ct)).EnsureSuccessStatusCode();

        // Reset: the tenant's connections close with 1012 (service restart).
        var reset = await app.ResourceCommands.ExecuteCommandAsync("bems", BemsServerBuilderExtensions.ResetCommandName, ct);
        reset.Success.Should().BeTrue(reset.Message);
        (await alice.WaitForCloseAsync(TimeSpan.FromSeconds(20))).Should().Be((WebSocketCloseStatus)1012);

        // On the system clock the clock command fails and says why.
        var refused = await app.ResourceCommands.ExecuteCommandAsync("plain", BemsServerBuilderExtensions.AdvanceClockCommandName, ct);
        refused.Success.Should().BeFalse();
        refused.Message.Should().Contain("WithVirtualClock");

        await app.StopAsync(ct);
    }
}
