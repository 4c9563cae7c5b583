using BemsServer.Features.Sessions;
using BemsServer.Tenancy;

namespace BemsServer.Dispatch;

/// <summary>
/// What handlers know of a client connection: its tenant, its outbox, the device cookie of its handshake and, once
/// BeginSession succeeded, its session. It knows nothing of WebSockets.
/// </summary>
public sealed class ClientConnection(string id, Tenant tenant, IFrameTarget outbox, string deviceCookie)
{
    public string Id { get; } = id;
    public Tenant Tenant { get; } = tenant;
    public IFrameTarget Outbox { get; } = outbox;

    /// <summary>The <c>deviceToken</c> cookie the client sent, or the one the server set on the handshake.</summary>
    public string DeviceCookie { get; } = deviceCookie;

    /// <summary>Set by BeginSession, cleared by TerminateSession and when the connection closes.</summary>
    public Session? Session { get; set; }

    /// <summary>How this connection's recent requests ended, for later requests' <c>dependencies</c>.</summary>
    public RequestOutcomes Outcomes { get; } = new();
}
