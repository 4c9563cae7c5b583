using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Configuration.Memory;
using BemsServer.Cluster;
using Serilog;

namespace BemsServer.Hosting;

/// <summary>Builds the emulator's web application; Program and the integration tests both start it this way.</summary>
[SuppressMessage("Maintainability", "CA1515:Consider making public types internal",
    Justification = "The server's one public type: the entry point BemsServer.Testing starts the server through (its package carries this assembly).")]
public static class BemsApp
{
    /// <summary>
    /// The defaults of every way to run the server (<c>dotnet run</c>, the published binary, an embedding test), so an
    /// embedded server behaves as the command line one: the lowest configuration source, overridden by any other.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string?> Defaults = new Dictionary<string, string?>
    {
        ["Urls"] = "http://localhost:8080",
        ["Serilog:MinimumLevel:Default"] = "Information",
        ["Serilog:MinimumLevel:Override:Microsoft"] = "Warning",
        ["Serilog:MinimumLevel:Override:System"] = "Warning",
        ["Serilog:MinimumLevel:Override:Orleans"] = "Warning",
    };

    private const string HostingDiagnostics = "Microsoft.AspNetCore.Hosting.Diagnostics";

    /// <summary>Above <see cref="Serilog.Events.LogEventLevel.Fatal"/>: Serilog's way of saying off.</summary>
    private const Serilog.Events.LogEventLevel Off = Serilog.Events.LogEventLevel.Fatal + 1;

    /// <summary>
    /// Where <c>Serilog:WriteTo</c> looks for sinks: the three Serilog.AspNetCore brings (Console, File, Debug), and any a
    /// configuration names in <c>Serilog:Using</c>. Without a list, the reader searched every assembly of the
    /// application whose name has "serilog" in it, type by type, on the start path (a tenth of the start-up's CPU).
    /// </summary>
    private static readonly Serilog.Settings.Configuration.ConfigurationReaderOptions SerilogReader = new(
        typeof(Serilog.ConsoleLoggerConfigurationExtensions).Assembly,
        typeof(Serilog.FileLoggerConfigurationExtensions).Assembly,
        typeof(Serilog.LoggerSinkConfigurationDebugExtensions).Assembly);

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = Defaults });
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.UseSockets(o => o.UnsafePreferInlineScheduling = InlineIo.Enabled);
        builder.AddBemsTls();
        builder.Logging.ClearProviders();
        builder.Services.AddSerilog((services, logger) => logger
            // Off unless configured: with it on, ASP.NET Core gives every request an Activity and a logging scope, which a
            // WebSocket keeps for its whole life (about 0.5 KB per idle connection) for two Information lines per request.
            .MinimumLevel.Override(HostingDiagnostics, Off)
            .ReadFrom.Configuration(builder.Configuration, SerilogReader)
            .ReadFrom.Services(services)
            .Enrich.FromLogContext()
            .Filter.ByExcluding(StartupLog.IsStartupFailure) // RunAsync tells it in one line
            .WriteTo.Console(formatProvider: System.Globalization.CultureInfo.InvariantCulture), preserveStaticLogger: true);
        builder.Services.AddBemsServer();
        builder.Services.AddBemsCluster(builder.Configuration);
        builder.Services.AddBemsObservability(builder.Configuration);
        configure?.Invoke(builder);
        var app = builder.Build();
        app.MapBemsServer();
        StartupLog.TellWhenReady(app);
        return app;
    }

    /// <summary>
    /// Builds and starts the server; when it cannot start, writes the one line that names the setting and its value to
    /// <paramref name="error"/> and returns null (the server's start and <c>bems-server certify</c>'s share it).
    /// </summary>
    internal static async Task<WebApplication?> TryStartAsync(string[] args, TextWriter error, CancellationToken cancellationToken = default)
    {
        WebApplication? app = null;
        try
        {
            app = Build(args);
            await app.StartAsync(cancellationToken);
            return app;
        }
#pragma warning disable CA1031 // Whatever stops the start is told in one line.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            var configuration = app?.Configuration ?? new ConfigurationBuilder().Add(new MemoryConfigurationSource { InitialData = Defaults })
                .AddEnvironmentVariables().AddCommandLine(args).Build();
            await error.WriteLineAsync(StartupFailure.Describe(ex, configuration));
            if (app is not null) await app.DisposeAsync();
            return null;
        }
    }

    /// <summary>
    /// Runs the server until it is stopped. When it cannot start (bad configuration, a busy port) it writes one line
    /// naming the setting and its value to standard error and returns 1, without a stack trace.
    /// </summary>
    public static async Task<int> RunAsync(string[] args)
    {
        if (await TryStartAsync(args, System.Console.Error) is not { } app) return 1;
        await app.WaitForShutdownAsync();
        await app.DisposeAsync();
        return 0;
    }
}
