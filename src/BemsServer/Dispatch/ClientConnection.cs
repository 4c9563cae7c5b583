using System.Buffers;
using BemsServer.Features;
using BemsServer.Features.Sessions;
using BemsServer.Protocol;

namespace BemsServer.Dispatch;

/// <summary>A connection's queue of outgoing frames, as the rest of the server sees it.</summary>
internal interface IConnectionOutbox : IFrameTarget
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
internal interface IOutboxTap
{
    bool Admit(OutboundFrame frame);

    void Written(OutboundFrame frame, ReadOnlySequence<byte> utf8);

    /// <summary>A tap that admits every frame and watches nothing (an outbox the control plane does not act on).</summary>
    public static readonly IOutboxTap None = new NoTap();

    private sealed class NoTap : IOutboxTap
    {
        public bool Admit(OutboundFrame frame) => true;

        public void Written(OutboundFrame frame, ReadOnlySequence<byte> utf8)
        {
        }
    }
}

/// <summary>
/// What handlers know of a client connection: its tenant, its outbox, the device cookie of its handshake and, once
/// BeginSession succeeded, its session. It knows nothing of WebSockets: the transport gives it the means to build its
/// outbox, which is complete once this is constructed.
/// </summary>
internal sealed class ClientConnection
{
    public ClientConnection(string id, TenantServices tenant, string deviceCookie, Func<ClientConnection, IConnectionOutbox> outbox)
    {
        (Id, Tenant, DeviceCookie) = (id, tenant, deviceCookie);
        Outbox = outbox(this);
    }

    public string Id { get; }
    /// <summary>The services of the connection's tenant.</summary>
    public TenantServices Tenant { get; }
    public IConnectionOutbox Outbox { get; }

    /// <summary>The <c>deviceToken</c> cookie the client sent, or the one the server set on the handshake.</summary>
    public string DeviceCookie { get; }

    private readonly Lock _gate = new();
    private bool _ended;

    /// <summary>Set by BeginSession (through <see cref="TrySignIn"/>), cleared by TerminateSession and by <see cref="End"/>.</summary>
    public Session? Session { get; private set; }

    /// <summary>
    /// Signs the connection in, unless it has already ended: <paramref name="signIn"/> (which registers the session, or
    /// resumes a parked one, and returns it; or null) runs under the same lock as <see cref="End"/>. So a BeginSession
    /// that runs after the connection ended (it was queued before the close was read) changes nothing, and one that runs
    /// before is ended by it: no session is ever left registered without a connection.
    /// </summary>
    public bool TrySignIn(Func<Session?> signIn)
    {
        lock (_gate)
        {
            if (_ended) return false;
            if (signIn() is not { } session) return false;
            Session = session;
            return true;
        }
    }

    /// <summary>TerminateSession: the session to sign out, unless the connection's end already took it.</summary>
    public Session? SignOut()
    {
        lock (_gate)
        {
            var session = Session;
            Session = null;
            return session;
        }
    }

    /// <summary>The connection is gone: no session may begin on it any more. Returns the session to sign out, if any.</summary>
    public Session? End()
    {
        lock (_gate)
        {
            _ended = true;
            return SignOut(); // Lock is re-entrant
        }
    }

    /// <summary>How this connection's recent requests ended, for later requests' <c>dependencies</c>.</summary>
    public RequestOutcomes Outcomes { get; } = new();
}
