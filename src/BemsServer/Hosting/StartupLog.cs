using BemsServer.Admin;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Serilog.Events;

namespace BemsServer.Hosting;

/// <summary>The start-up's one line for a person: where to connect once the server is ready.</summary>
internal static partial class StartupLog
{
    public const string ConsolePath = "/console/";

    public static void TellWhenReady(WebApplication app) => app.Lifetime.ApplicationStarted.Register(() =>
    {
        if (Addresses(app.Services) is not var (http, ws)) return; // a test server without sockets
        LogReady(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("BemsServer"),
            ws.ToString(), new Uri(http, AdminEndpoints.Prefix + "/").ToString(), new Uri(http, ConsolePath).ToString());
    });

    /// <summary>The started server's first address, as one a person can open, and its WebSocket address (<c>ws://…/</c>).</summary>
    public static (Uri Http, Uri WebSocket)? Addresses(IServiceProvider services)
    {
        var addresses = services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
        if (addresses is not { Count: > 0 }) return null;
        var http = new Uri(Displayed(addresses.First()));
        return (http, new UriBuilder(http) { Scheme = http.Scheme == Uri.UriSchemeHttps ? "wss" : "ws", Path = "/" }.Uri);
    }

    /// <summary>
    /// The host's "Hosting failed to start" error, with its stack trace: <see cref="BemsApp.RunAsync"/> says it in one line.
    /// Only that event: a background service's failure is still logged.
    /// </summary>
    public static bool IsStartupFailure(LogEvent e) =>
        e.Level >= LogEventLevel.Error && e.Properties.TryGetValue("EventId", out var id)
        && id is StructureValue { Properties: var fields }
        && fields.Any(static f => f is { Name: "Name", Value: ScalarValue { Value: "HostedServiceStartupFaulted" } });

    /// <summary>A wildcard address (<c>http://[::]:8080</c>, <c>http://0.0.0.0:8080</c>, <c>http://+:8080</c>) shown as one a person can open.</summary>
    private static string Displayed(string address) => address
        .Replace("://[::]", "://localhost", StringComparison.Ordinal)
        .Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal)
        .Replace("://+", "://localhost", StringComparison.Ordinal)
        .Replace("://*", "://localhost", StringComparison.Ordinal);

    [LoggerMessage(EventId = 100, EventName = "Ready", Level = LogLevel.Information,
        Message = "BemsServer ready: WebSocket {WebSocketUrl}  admin API {AdminUrl}  console {ConsoleUrl}")]
    private static partial void LogReady(ILogger logger, string webSocketUrl, string adminUrl, string consoleUrl);
}
