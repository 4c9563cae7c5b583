using Microsoft.AspNetCore.Builder;

namespace BemsServer.Testing;

/// <summary>How <see cref="BemsEmulator.StartAsync(BemsEmulatorOptions, CancellationToken)"/> starts the server.</summary>
public sealed class BemsEmulatorOptions
{
    /// <summary>Configuration values, as on the command line (<c>["Bems:Chat:InvitationTimeout"] = "00:00:05"</c>); see the BemsServer README.</summary>
    public IDictionary<string, string?> Configuration { get; } = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);

    /// <summary>A directory seed file (<c>Bems:Directory:SeedFile</c>); the built-in seed when null.</summary>
    public string? SeedFile { get; set; }

    /// <summary>
    /// Runs the server on a virtual clock (<c>Bems:Clock:Mode=Virtual</c>): time stands still until a test advances it
    /// (<see cref="BemsEmulator.AdvanceClockAsync"/>), so invitation timeouts fire exactly when the test says.
    /// </summary>
    public bool VirtualClock { get; set; }

    /// <summary>The server's log level (Serilog). Default <c>Warning</c>: refused input and errors only.</summary>
    public string LogLevel { get; set; } = "Warning";

    /// <summary>A last word on the host before it is built (services, logging), for what configuration cannot say.</summary>
    public Action<WebApplicationBuilder>? ConfigureBuilder { get; set; }
}
