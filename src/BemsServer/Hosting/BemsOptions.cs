using System.ComponentModel.DataAnnotations;

namespace BemsServer.Hosting;

/// <summary><c>Bems:Transport</c>: where clients connect and what a frame may be.</summary>
public sealed class TransportOptions
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

/// <summary><c>Bems:Chat</c>: one-to-one chat.</summary>
public sealed class ChatOptions
{
    public const string SectionName = "Bems:Chat";

    /// <summary>How long an invitation waits for AcceptChat/DeclineChat before queued messages fail with MessageUpdate ack/timeout.</summary>
    public TimeSpan InvitationTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Delivered messages kept per chat for the admin API (the newest; 0 keeps none).</summary>
    public int MessageLog { get; set; } = Features.Chats.ChatService.DefaultMessageLog;

    /// <summary>
    /// How long a delivered message may wait for a device of the peer to take it (a socket send of it completes) before
    /// its SendMessage ends in MessageUpdate ack/timeout; a later write of the message produces no second outcome.
    /// </summary>
    public TimeSpan DeliveryTimeout { get; set; } = Features.Chats.ChatService.DefaultDeliveryTimeout;
}

/// <summary>How BeginSession's tokens are checked.</summary>
public enum AuthMode
{
    /// <summary>The token names the user (<c>alice@example.com</c> or <c>sip:alice@example.com</c>); anyone may sign in.</summary>
    Open,
    /// <summary>Only tokens listed in <see cref="AuthOptions.Tokens"/> are accepted.</summary>
    Strict,
}

/// <summary><c>Bems:Auth</c>.</summary>
public sealed class AuthOptions
{
    public const string SectionName = "Bems:Auth";

    public AuthMode Mode { get; set; } = AuthMode.Open;

    /// <summary>Strict mode: token → user id (gdAuthToken for API 2.3, gdToken for API 2.2).</summary>
    public Dictionary<string, string> Tokens { get; set; } = [];
}

/// <summary><c>Bems:Directory</c>.</summary>
public sealed class DirectoryOptions
{
    public const string SectionName = "Bems:Directory";

    /// <summary>JSON seed of the directory; empty for the built-in seed (simulated users echo, accept, decline, ignore).</summary>
    public string? SeedFile { get; set; }
}

/// <summary><c>Bems:Session</c>.</summary>
public sealed class BemsSessionOptions
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
    public TimeSpan ParkedTimeout { get; set; } = Features.Sessions.SessionRegistry.DefaultParkedTimeout;
}

/// <summary>How the server's clock runs.</summary>
public enum ClockMode
{
    /// <summary>The machine's clock.</summary>
    System,
    /// <summary>A clock that stands still until the admin API advances it (<c>POST /admin/clock/advance</c>).</summary>
    Virtual,
}

/// <summary><c>Bems:Clock</c>.</summary>
public sealed class ClockOptions
{
    public const string SectionName = "Bems:Clock";

    public ClockMode Mode { get; set; } = ClockMode.System;
}
