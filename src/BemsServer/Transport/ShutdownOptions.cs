using System.ComponentModel.DataAnnotations;

namespace BemsServer.Transport;

/// <summary><c>Bems:Shutdown</c>: how a stopping server (SIGTERM, Ctrl+C) lets its clients go.</summary>
internal sealed class ShutdownOptions
{
    public const string SectionName = "Bems:Shutdown";

    /// <summary>
    /// How long each connection's requests already read may take to be answered before the server sends every client
    /// a close frame (1001, going away). Counted on the machine's clock, even when the emulator's clock is virtual:
    /// stopping a process is real time.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
