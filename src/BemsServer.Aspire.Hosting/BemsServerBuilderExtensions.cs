using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Aspire.Hosting;

/// <summary>Adds the BemsServer emulator to an Aspire app host.</summary>
public static class BemsServerBuilderExtensions
{
    private const int MaxTenantName = 64;

    /// <summary>The name of the dashboard command that resets the resource's tenant (<c>POST /admin/reset</c>).</summary>
    public const string ResetCommandName = "bems-reset";

    /// <summary>The name of the dashboard command that advances the virtual clock by one minute.</summary>
    public const string AdvanceClockCommandName = "bems-advance-clock";

    /// <summary>The name of the dashboard command that shows a link to the web console.</summary>
    public const string OpenConsoleCommandName = "bems-open-console";

    /// <summary>The command <see cref="AddBemsServer"/> runs: the dotnet tool (<c>dotnet tool install -g BemsServer</c>).</summary>
    public const string ToolCommand = "bems-server";

    /// <summary>
    /// Adds the emulator, run by the <c>bems-server</c> dotnet tool (install it with <c>dotnet tool install -g
    /// BemsServer</c>, or point elsewhere with <see cref="WithServerAssembly"/>), with a WebSocket endpoint <c>ws</c>, a
    /// console endpoint <c>console</c>, a health check on <c>/health/ready</c>, the connection string
    /// <c>ws://{host}:{port}/</c> and the dashboard commands Reset, Advance clock 1 min and Open console.
    /// </summary>
    /// <param name="builder">The app host's builder.</param>
    /// <param name="name">The resource's name (and its connection string's).</param>
    /// <param name="port">The WebSocket endpoint's port; a free one when <see langword="null"/>.</param>
    /// <param name="consolePort">The console endpoint's port; a free one when <see langword="null"/>.</param>
    public static IResourceBuilder<BemsServerResource> AddBemsServer(this IDistributedApplicationBuilder builder, [ResourceName] string name,
        int? port = null, int? consolePort = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);

        var resource = new BemsServerResource(name, ToolCommand, builder.AppHostDirectory);
        return builder.AddResource(resource)
            .WithHttpEndpoint(port: port, name: BemsServerResource.WebSocketEndpointName)
            .WithHttpEndpoint(port: consolePort, name: BemsServerResource.ConsoleEndpointName)
            .WithArgs(context =>
            {
                if (resource.ServerAssembly is { } assembly) context.Args.Add(assembly);
                context.Args.Add("--urls");
                context.Args.Add(ReferenceExpression.Create(
                    $"http://localhost:{resource.WebSocketEndpoint.Property(EndpointProperty.TargetPort)};http://localhost:{resource.ConsoleEndpoint.Property(EndpointProperty.TargetPort)}"));
            })
            .WithUrlForEndpoint(BemsServerResource.ConsoleEndpointName, url =>
            {
                url.Url = "/console/";
                url.DisplayText = "Console";
            })
            .WithHttpHealthCheck("/health/ready", endpointName: BemsServerResource.WebSocketEndpointName)
            .WithCommand(ResetCommandName, "Reset", context => ResetAsync(resource, context), new CommandOptions
            {
                Description = "Closes the tenant's connections (1012) and puts its users, chats, journal and fault rules back to the seed",
                ConfirmationMessage = "Reset the emulator's tenant? Its connections close and its state goes back to the seed.",
                IconName = "ArrowReset",
                UpdateState = EnabledWhenHealthy,
            })
            .WithCommand(AdvanceClockCommandName, "Advance clock 1 min", context => AdvanceClockAsync(resource, context), new CommandOptions
            {
                Description = "Moves the virtual clock one minute on (the server must run with WithVirtualClock)",
                IconName = "Clock",
                UpdateState = EnabledWhenHealthy,
            })
            .WithCommand(OpenConsoleCommandName, "Open console", context => Task.FromResult(OpenConsole(resource)), new CommandOptions
            {
                Description = "Shows the link to the live web console",
                IconName = "Open",
                UpdateState = EnabledWhenHealthy,
            });
    }

    /// <summary>
    /// Names the tenant the connection string opens (<c>ws://{host}:{port}/t/{tenant}/</c>) and the Reset command
    /// resets; the server creates it on the first WebSocket that opens it.
    /// </summary>
    /// <param name="builder">The resource.</param>
    /// <param name="tenant">A tenant name: letters, digits, <c>-</c>, <c>_</c> and <c>.</c> (the server refuses reserved names such as <c>admin</c>).</param>
    public static IResourceBuilder<BemsServerResource> WithTenant(this IResourceBuilder<BemsServerResource> builder, string tenant)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(tenant);
        // The shape and length of the server's rule (1-64 of these characters), checked at the app host's start rather than at
        // the first connection. Reserved names (admin, default, device names) are left to the server, which keeps that list.
        if (tenant.Length > MaxTenantName || !tenant.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            throw new ArgumentException($"'{tenant}' is not a tenant name: use 1-{MaxTenantName} letters, digits, '-', '_' and '.'.", nameof(tenant));
        builder.Resource.Tenant = tenant;
        return builder;
    }

    /// <summary>
    /// Runs the server on a virtual clock (<c>Bems:Clock:Mode=Virtual</c>): time stands still until the dashboard's
    /// Advance clock command (or <c>POST /admin/clock/advance</c>) moves it, so invitation timeouts fire when you say.
    /// </summary>
    /// <param name="builder">The resource.</param>
    public static IResourceBuilder<BemsServerResource> WithVirtualClock(this IResourceBuilder<BemsServerResource> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.WithEnvironment("Bems__Clock__Mode", "Virtual");
    }

    /// <summary>
    /// Runs <c>dotnet {path}</c> instead of the <c>bems-server</c> tool: a server built from source
    /// (<c>src/BemsServer/bin/…/BemsServer.dll</c>) or published (<c>dotnet publish src/BemsServer</c>).
    /// </summary>
    /// <param name="builder">The resource.</param>
    /// <param name="path">The path of <c>BemsServer.dll</c>, beside its <c>.runtimeconfig.json</c> and <c>.deps.json</c>.</param>
    public static IResourceBuilder<BemsServerResource> WithServerAssembly(this IResourceBuilder<BemsServerResource> builder, string path)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        builder.Resource.ServerAssembly = Path.GetFullPath(path, builder.ApplicationBuilder.AppHostDirectory);
        return builder.WithCommand("dotnet");
    }

    private static ResourceCommandState EnabledWhenHealthy(UpdateCommandStateContext context) =>
        context.ResourceSnapshot.HealthStatus is HealthStatus.Healthy ? ResourceCommandState.Enabled : ResourceCommandState.Disabled;

    private static async Task<ExecuteCommandResult> ResetAsync(BemsServerResource resource, ExecuteCommandContext context)
    {
        var path = resource.TenantAdminPath + "reset";
        return await PostAsync(resource, context, path, content: null, resource.Tenant is null
            ? "Reset the default tenant"
            : $"Reset tenant {resource.Tenant}").ConfigureAwait(false);
    }

    private static async Task<ExecuteCommandResult> AdvanceClockAsync(BemsServerResource resource, ExecuteCommandContext context)
    {
        var body = JsonContent.Create(new Dictionary<string, string> { ["by"] = "00:01:00" });
        return await PostAsync(resource, context, "admin/clock/advance", body, "Advanced the clock by 1 minute",
            conflict: "The server runs on the system clock: add WithVirtualClock() to the resource to move time by hand.").ConfigureAwait(false);
    }

    private static ExecuteCommandResult OpenConsole(BemsServerResource resource)
    {
        if (!resource.ConsoleEndpoint.IsAllocated) return CommandResults.Failure("The console endpoint has no address yet.");
        var url = new Uri(new Uri(resource.ConsoleEndpoint.Url), "console/").ToString();
        return CommandResults.Success($"The console: {url}", new CommandResultData
        {
            Value = $"[Open the BemsServer console]({url})",
            Format = CommandResultFormat.Markdown,
            DisplayImmediately = true,
        });
    }

    private static async Task<ExecuteCommandResult> PostAsync(BemsServerResource resource, ExecuteCommandContext context, string path,
        HttpContent? content, string done, string? conflict = null)
    {
        if (!resource.WebSocketEndpoint.IsAllocated) return CommandResults.Failure("The server has no address yet.");
        var factory = context.Services.GetRequiredService<IHttpClientFactory>();
        using var client = factory.CreateClient();
        client.Timeout = TimeSpan.FromSeconds(30);
        var uri = new Uri(new Uri(resource.WebSocketEndpoint.Url), path);
        using var response = await client.PostAsync(uri, content, context.CancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode) return CommandResults.Success(done);
        if (response.StatusCode == HttpStatusCode.Conflict && conflict is not null) return CommandResults.Failure(conflict);
        var problem = await response.Content.ReadAsStringAsync(context.CancellationToken).ConfigureAwait(false);
        return CommandResults.Failure(string.Create(CultureInfo.InvariantCulture,
            $"POST /{path} answered {(int)response.StatusCode}: {problem}"));
    }
}
