using Aspire.Hosting;
using Aspire.Hosting.Testing;
using BemsServer.Client;

namespace BemsServer.Sample.Aspire;

/// <summary>
/// The emulator as an Aspire resource, run by the bems-server tool (dotnet tool install --global BemsServer; CI puts a
/// freshly installed one on PATH): the app host waits for its health check and a client signs in over its connection string.
/// </summary>
public sealed class AppHostTests
{
    [Fact]
    public async Task AppHost_RunsTheTool_ClientSignsInOverTheConnectionString()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var ct = timeout.Token;
        using var builder = DistributedApplicationTestingBuilder.Create();
        builder.AddBemsServer("bems").WithTenant("sample");
        await using var app = await builder.BuildAsync(ct);
        await app.StartAsync(ct);
        await app.ResourceNotifications.WaitForResourceHealthyAsync("bems", ct);

        var connectionString = await app.GetConnectionStringAsync("bems", ct)
            ?? throw new InvalidOperationException("The resource has no connection string.");
        await using var alice = await BemsClient.ConnectAsync(new Uri(connectionString), cancellationToken: ct);
        await alice.BeginSessionAsync("alice@example.com", cancellationToken: ct);
        var outcome = await alice.SendMessageAsync("echo@example.com", "hi", cancellationToken: ct);

        Assert.Equal(SendOutcomeKind.Delivered, outcome.Kind);
        await app.StopAsync(ct);
    }
}
