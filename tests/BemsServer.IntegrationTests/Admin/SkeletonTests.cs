using System.Net;
using System.Net.WebSockets;
using BemsServer.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace BemsServer.IntegrationTests.Admin;

/// <summary>The admin API's frame: OpenAPI document, reference page, tenants, users and sessions.</summary>
public sealed class SkeletonTests(BemsHost host) : IClassFixture<BemsHost>
{
    [Fact]
    public async Task OpenApiDocument_DescribesTheAdminRoutesAndTheBemsServicesOnly()
    {
        using var admin = AdminApi.For(host);

        var document = await admin.GetAsync("openapi/v1.json");

        var paths = document["paths"]!.AsObject().Select(static p => p.Key).ToList();
        paths.Should().Contain(["/admin/process", "/admin/tenants", "/admin/users", "/admin/t/{tenant}/users", "/admin/journal/wait", "/admin/faults", "/admin/clock/advance"]);
        // Besides the admin API, the BEMS services beside Connect (docs/services.md), at the root and under a tenant.
        string[] services = ["/api/", "/presence/", "/GNP1.0", "/verifyGDAuthToken", "/gnp/"];
        paths.Should().OnlyContain(p => p.StartsWith("/admin/", StringComparison.Ordinal)
            || services.Any(s => p.StartsWith(s, StringComparison.Ordinal) || p.StartsWith("/t/{tenant}" + s, StringComparison.Ordinal)));
    }

    [Fact]
    public void NoEndpoint_CarriesAuthorizationMetadata_ForThereIsNoAuthorizationMiddleware()
    {
        // The server runs without ASP.NET Core's authorization middleware (it would build every endpoint at start): an
        // endpoint asking for authorization would have its requests fail, so none may ask.
        var endpoints = host.Services.GetRequiredService<Microsoft.AspNetCore.Routing.EndpointDataSource>().Endpoints;

        endpoints.Should().NotBeEmpty();
        endpoints.Where(static e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Authorization.IAuthorizeData>() is not null
                || e.Metadata.GetMetadata<Microsoft.AspNetCore.Authorization.AuthorizationPolicy>() is not null)
            .Select(static e => e.DisplayName).Should().BeEmpty();
    }

    [Fact]
    public async Task ReferencePage_IsHtmlThatReadsTheOpenApiDocument()
    {
        using var admin = AdminApi.For(host);

        using var response = await admin.Http.GetAsync("admin/");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
        (await response.Content.ReadAsStringAsync()).Should().Contain("openapi/v1.json");
    }

    [Fact]
    public async Task Process_StillAnswersForBenchmarks()
    {
        using var admin = AdminApi.For(host);

        var collectedBefore = GC.CollectionCount(1); // the host runs the server in this process
        GC.Collect(1, GCCollectionMode.Forced, blocking: true);

        var figures = await admin.GetAsync("process");

        figures["cpuTimeMs"]!.GetValue<double>().Should().BePositive();
        figures["jitCompiledMethods"]!.GetValue<long>().Should().BePositive("the server has compiled at least the route that answered");
        figures["gen1Collections"]!.GetValue<long>().Should().BeGreaterThan(collectedBefore, "it counts the generation 1 collection just made");
    }

    [Fact]
    public async Task Tenants_ListedThenDeleted_ConnectionsClosedAndStateForgotten()
    {
        var uri = host.NewTenant(out var name);
        await using var alice = await host.SignInAsync(uri, "alice@example.com");
        using var admin = AdminApi.For(host);
        using var scoped = AdminApi.For(host, name);
        await scoped.PostAsync("users", new { id = "extra@example.com" }, HttpStatusCode.Created);

        (await admin.GetAsync("tenants")).AsArray().Select(static t => t!["name"]!.GetValue<string>()).Should().Contain(name);
        await admin.DeleteAsync($"tenants/{name}");

        (await alice.WaitForCloseAsync()).Should().Be((WebSocketCloseStatus)1012);
        (await admin.GetAsync("tenants")).AsArray().Select(static t => t!["name"]!.GetValue<string>()).Should().NotContain(name);
        using var gone = await scoped.SendAsync(HttpMethod.Get, "users/extra@example.com");
        gone.StatusCode.Should().Be(HttpStatusCode.NotFound, "a deleted tenant starts afresh from the seed");
    }

    [Fact]
    public async Task Users_AddEditRemove_TakeEffectOnTheWire()
    {
        var uri = host.NewTenant(out var name);
        using var admin = AdminApi.For(host, name);
        await using var alice = await host.SignInAsync(uri, "alice@example.com");

        var added = await admin.PostAsync("users", new { id = "robot@example.com", displayName = "Robot", behavior = "echo" }, HttpStatusCode.Created);
        added["online"]!.GetValue<bool>().Should().BeTrue("a user with a behaviour is a simulated user, always signed in");
        await alice.CallAsync("SendMessage", new { contactId = "robot@example.com", message = "ping", messageId = "m-1" });
        (await alice.EventAsync("MessageReceived")).Data!["message"]!.GetValue<string>().Should().Be("ping");

        using var edit = await admin.SendAsync(HttpMethod.Patch, "users/sip:robot@example.com", new { displayName = "Quiet robot", behavior = "none" });
        edit.StatusCode.Should().Be(HttpStatusCode.OK);
        var robot = await admin.GetAsync("users/robot@example.com");
        robot["displayName"]!.GetValue<string>().Should().Be("Quiet robot");
        robot["online"]!.GetValue<bool>().Should().BeFalse();

        await admin.DeleteAsync("users/robot@example.com");
        var refused = await alice.RequestAsync("StartChat", new { contactId = "robot@example.com" });
        refused.Json["error"]!["code"]!.GetValue<int>().Should().Be(-32003);
    }

    [Fact]
    public async Task Sessions_ListedThenForceClosed_ClientSeesTheChosenCode()
    {
        var uri = host.NewTenant(out var name);
        using var admin = AdminApi.For(host, name);
        await using var alice = await host.SignInAsync(uri, "alice@example.com");

        var sessions = (await admin.GetAsync("sessions")).AsArray();
        var mine = sessions.Single(static s => s!["user"]!.GetValue<string>() == "sip:alice@example.com")!;
        mine["simulated"]!.GetValue<bool>().Should().BeFalse();
        sessions.Should().Contain(static s => s!["simulated"]!.GetValue<bool>());

        await admin.DeleteAsync($"sessions/{mine["id"]!.GetValue<string>()}?code=4321&reason=bye");

        (await alice.WaitForCloseAsync()).Should().Be((WebSocketCloseStatus)4321);
        (await admin.GetAsync("sessions")).AsArray().Should().NotContain(static s => s!["user"]!.GetValue<string>() == "sip:alice@example.com");
    }
}
