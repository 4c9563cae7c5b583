using BemsServer.Diagnostics;
using BemsServer.Features.Sessions;
using BemsServer.IntegrationTests.Infrastructure;
using BemsServer.Tenancy;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace BemsServer.IntegrationTests.Hardening;

/// <summary>
/// Churn: rounds of clients that connect, sign in, chat and leave. Afterwards connections, sessions and tenants are
/// back at their baseline, and the managed heap is within a tolerance of it. The heap is the whole test process's, so the
/// test runs alone (a collection without parallelization): other tests allocating meanwhile would count against it.
/// </summary>
[Collection(nameof(ChurnTests))]
public sealed class ChurnTests(BemsHost host, ITestOutputHelper output) : IClassFixture<BemsHost>
{
    private const int Rounds = 20;
    private const int ClientsPerRound = 20;
    private const long HeapToleranceBytes = 16 * 1024 * 1024;

    [Fact]
    public async Task ClientsComeAndGo_SessionsTenantsAndMemoryReturnToBaseline()
    {
        var stats = host.Services.GetRequiredService<ServerStats>();
        var registry = host.Services.GetRequiredService<TenantRegistry>();
        var tenants = Enumerable.Range(0, 3).Select(_ => host.NewTenant(out var _1)).ToList();
        await RoundAsync(tenants, 0); // warms up every path (and creates the tenants) before the baseline is taken

        var baseline = (stats.Connections, stats.Sessions, Tenants: registry.All.Count(), SessionsByTenant: SessionCounts(registry), Heap: Heap());
        for (var round = 1; round <= Rounds; round++) await RoundAsync(tenants, round);
        var after = (stats.Connections, stats.Sessions, Tenants: registry.All.Count(), SessionsByTenant: SessionCounts(registry), Heap: Heap());

        output.WriteLine($"{Rounds * ClientsPerRound} clients in {Rounds} rounds: connections {baseline.Connections}→{after.Connections}, " +
            $"sessions {baseline.Sessions}→{after.Sessions}, tenants {baseline.Tenants}→{after.Tenants}, " +
            $"managed heap {baseline.Heap / 1024} KB→{after.Heap / 1024} KB ({(after.Heap - baseline.Heap) / 1024:+0;-0} KB)");
        after.Connections.Should().Be(baseline.Connections);
        after.Sessions.Should().Be(baseline.Sessions);
        after.Tenants.Should().Be(baseline.Tenants);
        after.SessionsByTenant.Should().Equal(baseline.SessionsByTenant);
        (after.Heap - baseline.Heap).Should().BeLessThan(HeapToleranceBytes);
    }

    /// <summary>Every client signs in, sends a message to the echo user, waits for the echo and closes.</summary>
    private async Task RoundAsync(IReadOnlyList<Uri> tenants, int round)
    {
        await Task.WhenAll(Enumerable.Range(0, ClientsPerRound).Select(async c =>
        {
            await using var client = await host.SignInAsync(tenants[c % tenants.Count], $"churn{c}@example.com");
            await client.CallAsync("SendMessage", new { contactId = "echo@example.com", message = $"round {round}", messageId = $"m{round}" });
            await client.EventAsync("MessageReceived");
        }));
    }

    private static Dictionary<string, int> SessionCounts(TenantRegistry registry) =>
        registry.All.ToDictionary(static t => t.Name, static t => t.Sessions.Count, StringComparer.Ordinal);

    private static long Heap()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}

/// <summary>Runs <see cref="ChurnTests"/> after the parallel tests, with nothing else running.</summary>
[CollectionDefinition(nameof(ChurnTests), DisableParallelization = true)]
public sealed class ChurnTestsCollection;
