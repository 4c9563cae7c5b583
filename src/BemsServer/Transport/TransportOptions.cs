using System.ComponentModel.DataAnnotations;

namespace BemsServer.Transport;

/// <summary><c>Bems:Transport</c>: where clients connect and what a frame may be.</summary>
internal sealed class TransportOptions
{
    public const string SectionName = "Bems:Transport";

    /// <summary>Extra WebSocket paths for the default tenant, besides <c>/</c> (e.g. a path a client has hard-coded).</summary>
    public string[] Paths { get; set; } = [];

    /// <summary>Largest inbound message; a larger one is answered with -32600 and discarded.</summary>
    [Range(256, 64 * 1024 * 1024)]
    public int MaxMessageBytes { get; set; } = 64 * 1024;

    /// <summary>Frames that may wait for a slow client before the server closes its connection.</summary>
    [Range(16, 10_000_000)]
    public int MaxQueuedFrames { get; set; } = 100_000;

    /// <summary>Bytes (about: each frame's payload plus an envelope allowance) that may wait for a slow client before the server cuts it off.</summary>
    [Range(64 * 1024, 1L << 40)]
    public long MaxQueuedBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>
    /// How long a socket may complete no send while frames wait for it before it is cut off as a slow consumer (1008):
    /// a client that stopped reading. A slow reader that keeps taking bytes is never cut off by this rule.
    /// </summary>
    public TimeSpan StallTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
