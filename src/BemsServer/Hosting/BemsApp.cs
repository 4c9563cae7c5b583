using Serilog;

namespace BemsServer.Hosting;

/// <summary>Builds the emulator's web application; Program and the integration tests both start it this way.</summary>
public static class BemsApp
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.AddBemsTls();
        builder.Logging.ClearProviders();
        builder.Services.AddSerilog((services, logger) => logger
            .ReadFrom.Configuration(builder.Configuration)
            .ReadFrom.Services(services)
            .Enrich.FromLogContext()
            .WriteTo.Console(formatProvider: System.Globalization.CultureInfo.InvariantCulture), preserveStaticLogger: true);
        builder.Services.AddBemsServer();
        configure?.Invoke(builder);
        var app = builder.Build();
        app.MapBemsServer();
        return app;
    }
}
