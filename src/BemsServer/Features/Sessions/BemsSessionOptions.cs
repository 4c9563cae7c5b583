using System.ComponentModel.DataAnnotations;

namespace BemsServer.Features.Sessions;

/// <summary><c>Bems:Session</c>.</summary>
internal sealed class BemsSessionOptions
{
    public const string SectionName = "Bems:Session";

    /// <summary>What Ping reports as <c>sessionTimeout</c>, in seconds.</summary>
    [Range(1, int.MaxValue)]
    public int TimeoutSeconds { get; set; } = 86400;

    /// <summary>
    /// How long a background session whose socket dropped waits for a <c>reconnect</c> (on the server's clock) before it
    /// signs out as a closed connection does.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "365.00:00:00")]
    public TimeSpan ParkedTimeout { get; set; } = SessionRegistry.DefaultParkedTimeout;
}
