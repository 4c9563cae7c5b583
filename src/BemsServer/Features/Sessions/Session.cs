using BemsServer.Dispatch;
using BemsServer.Features.Background;
using BemsServer.Features.Directory;
using BemsServer.Protocol;

namespace BemsServer.Features.Sessions;

/// <summary>Who is behind a session: a client's connection, or one of the server's own users.</summary>
internal enum SessionKind
{
    Client,

    /// <summary>A simulated user of the directory (echo, accept, decline, ignore).</summary>
    Simulated,

    /// <summary>A user a scenario plays.</summary>
    Scripted,

    /// <summary>A one-off sender the admin API's inject routes use.</summary>
    Injected,
}

/// <summary>
/// A signed-in device of a user. Frames delivered to it go to its connection (or to a simulated user); while its connection
/// is gone (a background session waiting for <c>reconnect</c>) they wait in a buffer and go out, in order, on resume.
/// </summary>
internal sealed class Session(
    string id, DirectoryUser user, string deviceToken, string apiVersion, IFrameTarget target, DateTimeOffset started, SessionKind kind = SessionKind.Client)
    : IFrameTarget
{
    private readonly object _parking = new();
    private IFrameTarget _target = target;
    private BackgroundMode? _background;
    private ITimer? _expiry;

    public string Id { get; } = id;
    public DirectoryUser User { get; } = user;
    public string DeviceToken { get; } = deviceToken;
    public SessionKind Kind { get; } = kind;

    /// <summary>Whether <see cref="DeviceToken"/> is the handshake's cookie (BeginSession gave no <c>deviceToken</c>).</summary>
    public bool DeviceFromCookie { get; init; }

    /// <summary>"2.3" (gdAuthToken) or "2.2" (userId + gdToken), decided by the credential BeginSession carried.</summary>
    public string ApiVersion { get; } = apiVersion;

    public DateTimeOffset Started { get; } = started;

    /// <summary>The BlackBerry Dynamics push token BeginSession gave, if any (push records name it).</summary>
    public string? GnpToken { get; init; }

    /// <summary>Set by NotifyBackground(true), cleared by NotifyBackground(false): events are then also recorded as pushes.</summary>
    public BackgroundMode? Background
    {
        get => Volatile.Read(ref _background);
        set => Volatile.Write(ref _background, value);
    }

    /// <summary>Whether the session lost its connection and waits for a reconnect.</summary>
    public bool IsParked => Volatile.Read(ref _target) is FrameBuffer;

    public void Deliver(OutboundFrame frame)
    {
        // Record the push first, then deliver (or park): whoever sees the frame, or what it causes (a message's COMPLETE
        // follows its write), can count on the push record. A frame recorded but not yet handed on is never lost: a
        // reconnect in between gets it from the buffer's late-writer path.
        if (_background is { } background) background.Log.Observe(this, background, frame);
        Volatile.Read(ref _target).Deliver(frame);
    }

    /// <summary>The connection is gone: frames wait for <see cref="TryResume"/>; <paramref name="expiry"/> ends the wait.</summary>
    public void Park(ITimer? expiry = null)
    {
        lock (_parking)
        {
            StopExpiryLocked();
            Volatile.Write(ref _target, new FrameBuffer());
            _expiry = expiry;
        }
    }

    /// <summary>Attaches the session to a new connection and hands it what waited, in order; false once it has expired.</summary>
    public bool TryResume(IFrameTarget target)
    {
        lock (_parking)
        {
            if (Volatile.Read(ref _target) is Expired) return false;
            if (Volatile.Read(ref _target) is FrameBuffer buffer) buffer.ForwardTo(target);
            Volatile.Write(ref _target, target);
            StopExpiryLocked();
            return true;
        }
    }

    /// <summary>Ends the wait for a reconnect: true when the session was still parked (it then drops what waited).</summary>
    public bool TryExpire()
    {
        lock (_parking)
        {
            StopExpiryLocked();
            if (Volatile.Read(ref _target) is not FrameBuffer) return false;
            Volatile.Write(ref _target, Expired.Instance);
            return true;
        }
    }

    private void StopExpiryLocked()
    {
        _expiry?.Dispose();
        _expiry = null;
    }

    public override string ToString() => $"{Id} ({User.Key})";

    /// <summary>A parked session that nobody resumed in time: frames still addressed to it are dropped.</summary>
    private sealed class Expired : IFrameTarget
    {
        public static readonly Expired Instance = new();

        public void Deliver(OutboundFrame frame) => frame.Receipt?.Dropped();
    }

    /// <summary>Holds frames until forwarded; after that, passes each straight on (a late writer loses nothing).</summary>
    private sealed class FrameBuffer : IFrameTarget
    {
        private readonly List<OutboundFrame> _frames = [];
        private IFrameTarget? _forward;

        public void Deliver(OutboundFrame frame)
        {
            lock (_frames)
            {
                if (_forward is null)
                {
                    _frames.Add(frame);
                    frame.Receipt?.Written(); // kept for the device's reconnect (and pushed, in background mode): delivered
                    return;
                }
            }
            _forward.Deliver(frame);
        }

        public void ForwardTo(IFrameTarget target)
        {
            lock (_frames)
            {
                foreach (var frame in _frames) target.Deliver(frame);
                // Stryker disable once Statement : the buffer is dropped once forwarded (Deliver then passes frames on); clearing only frees them sooner
                _frames.Clear();
                _forward = target;
            }
        }
    }
}
