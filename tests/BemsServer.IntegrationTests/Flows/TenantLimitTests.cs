using System.Net;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using BemsServer.IntegrationTests.Infrastructure;
using BemsServer.Tenancy;
using Microsoft.Extensions.DependencyInjection;

namespace BemsServer.IntegrationTests.Flows;

/// <summary>A host that allows two named tenants and forgets an unused one after five minutes.</summary>
public sealed class SmallTenantHost() : BemsHost(new() { ["Bems:Tenants:Max"] = "2", ["Bems:Tenants:IdleTimeout"] = "00:05:00" });

/// <summary>Strict auth mode with one configured tenant.</summary>
public sealed class StrictTenantHost() : BemsHost(new()
{
    ["Bems:Auth:Mode"] = "Strict",
    ["Bems:Auth:Tokens:token-alice"] = "alice@example.com",
    ["Bems:Tenants:Allowed:0"] = "listed",
});

/// <summary>What tenants a client may make: only by upgrading, not with reserved names, within the limit.</summary>
public sealed class TenantCreationTests(BemsHost host) : IClassFixture<BemsHost>
{
    [Fact]
    public async Task PlainGet_ToATenantPath_AnswersWithoutCreatingTheTenant()
    {
        host.NewTenant(out var name);
        using var http = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };

        using var response = await http.GetAsync(new Uri($"t/{name}/", UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.UpgradeRequired);
        (await TenantLimits.NamesAsync(http)).Should().NotContain(name);
    }

    [Theory]
    [InlineData("admin")]
    [InlineData("default")]
    [InlineData("DEFAULT")]
    [InlineData("...")]
    [InlineData("CON")]
    [InlineData("com1")]
    [InlineData("nul.txt")]
    public async Task ReservedName_IsRefusedWith404SayingItIsReserved(string name)
    {
        using var http = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };

        using var response = await http.GetAsync(new Uri($"t/{name}/", UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await response.Content.ReadAsStringAsync()).Should().Contain("reserved");
        (await TenantLimits.NamesAsync(http)).Should().NotContain(name);
    }
}

/// <summary>The tenant limit and idle expiry (<c>Bems:Tenants:Max</c>, <c>Bems:Tenants:IdleTimeout</c>).</summary>
public sealed class TenantLimitTests(SmallTenantHost host) : IClassFixture<SmallTenantHost>
{
    [Fact]
    public async Task Limit_Reached_UpgradeRefusedWith503_ThenIdleTenantsExpireAndFreeTheirPlace()
    {
        using var http = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        await using (var first = await host.SignInAsync(host.NewTenant(out var firstName), "alice@example.com"))
        await using (var second = await host.ConnectAsync(host.NewTenant(out _)))
        {
            var refused = await TenantLimits.UpgradeStatusAsync(host.NewTenant(out var third));
            refused.Should().Be(HttpStatusCode.ServiceUnavailable);
            (await TenantLimits.NamesAsync(http)).Should().NotContain(third);

            host.Clock.Advance(TimeSpan.FromMinutes(30));
            (await TenantLimits.NamesAsync(http)).Should().Contain(firstName, "a tenant with a connection is never idle");
        }
        await TenantLimits.UntilNoConnectionsAsync(http);

        for (var minute = 0; minute < 7; minute++) host.Clock.Advance(TimeSpan.FromMinutes(1));

        (await TenantLimits.NamesAsync(http)).Should().NotContain(static n => n != "default", "idle tenants expire");
        await using var again = await host.SignInAsync(host.NewTenant(out _), "alice@example.com");
    }

    [Fact]
    public async Task TenantTakenAgainJustBeforeItsExpiry_SurvivesTheSweep_AsTheSameTenant()
    {
        var registry = host.Services.GetRequiredService<TenantRegistry>();
        host.NewTenant(out var name);
        var tenant = registry.GetOrCreate(name);
        for (var minute = 0; minute < 5; minute++) host.Clock.Advance(TimeSpan.FromMinutes(1)); // idle for (almost) the timeout

        registry.TryGetOrCreate(name, out var taken).Should().Be(TenantRefusal.None); // an upgrade takes it again
        await registry.SweepAsync();
        for (var minute = 0; minute < 3; minute++) host.Clock.Advance(TimeSpan.FromMinutes(1));

        taken.Should().BeSameAs(tenant);
        registry.Find(name).Should().BeSameAs(tenant, "its idle time starts again when it is taken");
        for (var minute = 0; minute < 7; minute++) host.Clock.Advance(TimeSpan.FromMinutes(1));
        await registry.SweepAsync();
        registry.Find(name).Should().BeNull("once idle for the whole timeout again, it expires");
    }
}

/// <summary>Strict auth mode: only configured tenants (or ones made through the admin API) may be opened.</summary>
public sealed class StrictTenantTests(StrictTenantHost host) : IClassFixture<StrictTenantHost>
{
    [Fact]
    public async Task UnlistedTenant_IsRefusedWith403_ListedOneIsServed()
    {
        using var http = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        using var response = await http.GetAsync(new Uri("t/unlisted/", UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await response.Content.ReadAsStringAsync()).Should().Contain("Bems:Tenants:Allowed");
        (await TenantLimits.UpgradeStatusAsync(host.TenantUri("unlisted"))).Should().Be(HttpStatusCode.Forbidden);
        await using var alice = await host.ConnectAsync(host.TenantUri("listed"));
        await alice.CallAsync("BeginSession", new { gdAuthToken = "token-alice" });
    }
}

internal static class TenantLimits
{
    public static async Task<string[]> NamesAsync(HttpClient http) =>
        [.. JsonNode.Parse(await http.GetStringAsync(new Uri("admin/tenants", UriKind.Relative)))!.AsArray().Select(static t => t!["name"]!.GetValue<string>())];

    /// <summary>The HTTP status of a refused WebSocket handshake (101 when it was accepted).</summary>
    public static async Task<HttpStatusCode> UpgradeStatusAsync(Uri uri)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            await socket.ConnectAsync(uri, timeout.Token);
        }
        catch (WebSocketException)
        {
        }
        return socket.HttpStatusCode;
    }

    /// <summary>Waits (bounded) until the server has let go of every closed connection.</summary>
    public static async Task UntilNoConnectionsAsync(HttpClient http)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var tenants = JsonNode.Parse(await http.GetStringAsync(new Uri("admin/tenants", UriKind.Relative)))!.AsArray();
            if (tenants.All(static t => t!["connections"]!.GetValue<int>() == 0)) return;
            if (DateTime.UtcNow > deadline) throw new TimeoutException("connections were not released: " + tenants.ToJsonString());
            await Task.Yield();
        }
    }
}
