using System.Buffers;
using BemsServer.Features.Sessions;
using BemsServer.Protocol;
using BemsServer.Tenancy;

namespace BemsServer.Dispatch;

/// <summary>A connection's queue of outgoing frames, as the rest of the server sees it.</summary>
public interface IConnectionOutbox : IFrameTarget
{
    /// <summary>Frames queued and not yet written (a client that does not read lets them pile up).</summary>
    int Queued { get; }

    /// <summary>No more frames are taken; those already queued still go out, then the connection closes.</summary>
    void Complete();
}

/// <summary>
/// Watches a connection's outgoing frames: <see cref="Admit"/> sees each frame before it is queued (false: it took the
/// frame, as a fault rule does), <see cref="Written"/> each frame as it goes on the wire (the frame journal).
/// </summary>
public interface IOutboxTap
{
    bool Admit(OutboundFrame frame);

    void Written(OutboundFrame frame, ReadOnlySequence<byte> utf8);
}

/// <summary>
/// What handlers know of a client connection: its tenant, its outbox, the device cookie of its handshake and, once
/// BeginSession succeeded, its session. It knows nothing of WebSockets: the transport gives it the means to build its
/// outbox, which is complete once this is constructed.
/// </summary>
public sealed class ClientConnection
{
    public ClientConnection(string id, Tenant tenant, string deviceCookie, Func<ClientConnection, IConnectionOutbox> outbox)
    {
        (Id, Tenant, DeviceCookie) = (id, tenant, deviceCookie);
        Outbox = outbox(this);
    }

    public string Id { get; }
    public Tenant Tenant { get; }
    public IConnectionOutbox Outbox { get; }

    /// <summary>The <c>deviceToken</c> cookie the client sent, or the one the server set on the handshake.</summary>
    public string DeviceCookie { get; }

    /// <summary>Set by BeginSession, cleared by TerminateSession and when the connection closes.</summary>
    public Session? Session { get; set; }

    /// <summary>How this connection's recent requests ended, for later requests' <c>dependencies</c>.</summary>
    public RequestOutcomes Outcomes { get; } = new();
}
