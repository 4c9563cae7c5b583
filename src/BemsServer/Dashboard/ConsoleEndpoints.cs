using BemsServer.Admin;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;

namespace BemsServer.Dashboard;

/// <summary>
/// The live web console at <c>/console/</c>: static pages embedded in the assembly (so <c>dotnet run</c>, a test host and
/// a packed tool serve the same files) and the SignalR hub at <c>/console/hub</c>. Same safety as the admin API.
/// </summary>
internal static class ConsoleEndpoints
{
    public const string Prefix = "/console";
    public const string HubPath = Prefix + "/hub";

    public static IServiceCollection AddBemsConsole(this IServiceCollection services)
    {
        services.AddSignalR();
        services.AddSingleton<ConsoleSubscriptions>();
        services.AddSingleton<Advisor>();
        services.AddHostedService<ConsoleBroadcaster>();
        return services;
    }

    public static WebApplication MapConsole(this WebApplication app)
    {
        var files = new EmbeddedFileProvider(typeof(ConsoleEndpoints).Assembly, "BemsServer.Dashboard.wwwroot");
        app.UseMiddleware<ConsoleGuard>();
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files, RequestPath = Prefix });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = files, RequestPath = Prefix });
        app.MapHub<ConsoleHub>(HubPath);
        return app;
    }
}

/// <summary>
/// The admin API's rule for the console (<see cref="AdminGuard.Check"/>): loopback only without <c>Bems:Admin:Token</c>.
/// With a token the page itself is served to anyone (it holds no data and asks for the token), and the hub needs the
/// token, as a bearer header or, for the WebSocket that browsers cannot give headers, as <c>access_token</c>.
/// </summary>
internal sealed class ConsoleGuard(RequestDelegate next, IOptions<AdminOptions> options)
{
    private readonly byte[]? _token = string.IsNullOrEmpty(options.Value.Token) ? null : System.Text.Encoding.UTF8.GetBytes(options.Value.Token);

    public Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path;
        if (!path.StartsWithSegments(ConsoleEndpoints.Prefix, StringComparison.OrdinalIgnoreCase)) return next(context);
        var hub = path.StartsWithSegments(ConsoleEndpoints.HubPath, StringComparison.OrdinalIgnoreCase);
        if (hub || _token is null)
        {
            if (hub && string.IsNullOrEmpty(context.Request.Headers.Authorization) && context.Request.Query["access_token"] is [{ Length: > 0 } token])
                context.Request.Headers.Authorization = "Bearer " + token;
            if (AdminGuard.Check(context, _token) is { } refusal) return refusal.ExecuteAsync(context);
        }
        return path.Value!.Length == ConsoleEndpoints.Prefix.Length ? ToFolder(context) : next(context);
    }

    /// <summary><c>/console</c> → <c>/console/</c>: the page's URLs are relative to its folder.</summary>
    private static Task ToFolder(HttpContext context)
    {
        context.Response.Redirect($"{context.Request.PathBase}{ConsoleEndpoints.Prefix}/{context.Request.QueryString}");
        return Task.CompletedTask;
    }
}
