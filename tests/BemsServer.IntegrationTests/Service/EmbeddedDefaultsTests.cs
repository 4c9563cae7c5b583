using BemsServer.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BemsServer.IntegrationTests.Service;

/// <summary>An embedding application (a test suite) gets the same defaults as <c>dotnet run</c>, and may override them.</summary>
public sealed class EmbeddedDefaultsTests
{
    [Fact]
    public async Task Build_WithoutSettings_KeepsKestrelQuietAndTheServerLogAtInformation()
    {
        await using var app = BemsApp.Build([]);
        var loggers = app.Services.GetRequiredService<ILoggerFactory>();

        loggers.CreateLogger("Microsoft.AspNetCore.Server.Kestrel").IsEnabled(LogLevel.Information).Should().BeFalse();
        loggers.CreateLogger("Microsoft.AspNetCore.Server.Kestrel").IsEnabled(LogLevel.Warning).Should().BeTrue();
        loggers.CreateLogger("BemsServer.Rpc").IsEnabled(LogLevel.Information).Should().BeTrue();
        app.Configuration["Urls"].Should().Be("http://localhost:8080");
    }

    [Fact]
    public async Task Build_WithASetting_OverridesTheDefault()
    {
        await using var app = BemsApp.Build(["--Serilog:MinimumLevel:Override:Microsoft", "Information", "--urls", "http://127.0.0.1:0"]);

        app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Microsoft.AspNetCore.Server.Kestrel")
            .IsEnabled(LogLevel.Information).Should().BeTrue();
        app.Configuration["Urls"].Should().Be("http://127.0.0.1:0");
    }

    [Fact]
    public async Task Build_WithAFileSinkInTheSettings_WritesTheLogThere()
    {
        var path = Path.Combine(Path.GetTempPath(), $"bems-log-{Guid.NewGuid():N}.txt");
        try
        {
            await using (var app = BemsApp.Build(["--Serilog:WriteTo:0:Name", "File", "--Serilog:WriteTo:0:Args:path", path, "--urls", "http://127.0.0.1:0"]))
            {
                app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("BemsServer.Test").LogWarning("written to the file sink");
            }

            (await File.ReadAllTextAsync(path)).Should().Contain("written to the file sink",
                "the sinks Serilog.AspNetCore brings are found without a Using section (the reader is given their assemblies)");
        }
        finally
        {
            File.Delete(path);
        }
    }
}
