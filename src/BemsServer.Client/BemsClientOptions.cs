using System.Net.WebSockets;

namespace BemsServer.Client;

/// <summary>How a <see cref="BemsClient"/> connects and how long it waits.</summary>
public sealed class BemsClientOptions
{
    /// <summary>
    /// Sent as the handshake's <c>deviceToken</c> cookie: the device a parked background session belongs to, so that a
    /// new connection can resume it (<see cref="BemsClient.ResumeAsync"/>). Without it the server hands out a new one
    /// (<see cref="BemsClient.DeviceToken"/>).
    /// </summary>
    public string? DeviceToken { get; init; }

    /// <summary>How long a call waits for its COMPLETE (or its error, or its MessageUpdate). Default 30 s.</summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long <see cref="BemsClient.WaitForEventAsync(Func{BemsServer.Protocol.Data.BemsData, bool}, TimeSpan?, CancellationToken)"/> waits unless told. Default 10 s.</summary>
    public TimeSpan EventTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long connecting may take. Default 10 s.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Further settings of the socket (headers, proxy, certificates).</summary>
    public Action<ClientWebSocketOptions>? ConfigureSocket { get; init; }
}
