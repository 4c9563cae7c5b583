using System.Net.WebSockets;
using BemsServer.Dispatch;
using BemsServer.Protocol;
using BemsServer.Protocol.Data;
using BemsServer.Transport;
using StreamJsonRpc;

namespace BemsServer.Simulation;

/// <summary>What an armed fault rule does to the outgoing frames of one request.</summary>
public enum OutboundFault
{
    DelayProcessing,
    DelayComplete,
    DropComplete,
    MessageUpdate,
}

/// <summary>A fault decided when the request arrived, applied to its PROCESSING or COMPLETE as they go out.</summary>
public sealed record PendingFault(OutboundFault Action, TimeSpan Delay, MessageUpdateData? Update);

/// <summary>
/// The control plane's grip on one live connection: it closes it with a chosen code and applies outgoing-frame faults.
/// With no fault pending, its filter costs one volatile read per frame.
/// </summary>
public sealed class ConnectionHandle(ClientConnection client, Outbox outbox, TimeProvider time, TenantControl owner) : IDisposable
{
    private readonly object _gate = new();
    private readonly Dictionary<RequestId, PendingFault> _pending = [];
    private List<OutboundFrame>? _held;
    private ITimer? _holdTimer;
    private bool _passThrough;
    private int _armed;

    public ClientConnection Client { get; } = client;

    /// <summary>The close code the connection ends with: normal unless the control plane closed it.</summary>
    public WebSocketCloseStatus CloseStatus { get; private set; } = WebSocketCloseStatus.NormalClosure;

    public string? CloseReason { get; private set; }

    /// <summary>Stops taking frames; those queued still go out, then the socket closes with the given code.</summary>
    public void Close(int code, string? reason)
    {
        CloseStatus = (WebSocketCloseStatus)code;
        CloseReason = reason;
        outbox.Complete();
    }

    public void Arm(RequestId request, PendingFault fault)
    {
        lock (_gate)
        {
            _pending[request] = fault;
            Interlocked.Increment(ref _armed);
        }
    }

    /// <summary>The outbox's filter: true lets the frame through; false means the handle took it (held, dropped or replaced).</summary>
    public bool Filter(OutboundFrame frame) => Volatile.Read(ref _armed) == 0 || FilterArmed(frame);

    private bool FilterArmed(OutboundFrame frame)
    {
        lock (_gate)
        {
            if (_passThrough) return true;
            if (_held is not null)
            {
                _held.Add(frame); // frames after a held one wait with it: the wire order stays that of a slow server
                return false;
            }
            var (id, isResponse) = frame switch
            {
                ResponseFrame r => (r.Id, true),
                CompletionFrame c => (c.Id, false),
                _ => (RequestId.NotSpecified, false),
            };
            if (id.IsEmpty || !_pending.TryGetValue(id, out var fault)) return true;
            switch (fault.Action)
            {
                case OutboundFault.DelayProcessing when isResponse:
                case OutboundFault.DelayComplete when !isResponse:
                    Disarm(id);
                    Interlocked.Increment(ref _armed);
                    _held = [frame];
                    _holdTimer = time.CreateTimer(static state => ((ConnectionHandle)state!).ReleaseHeld(), this, fault.Delay, Timeout.InfiniteTimeSpan);
                    return false;
                case OutboundFault.DropComplete when !isResponse:
                    Disarm(id);
                    return false;
                case OutboundFault.MessageUpdate when !isResponse:
                    Disarm(id);
                    PassThrough(new MessageUpdateFrame(fault.Update!));
                    return false;
                default:
                    return true;
            }
        }
    }

    private void Disarm(RequestId id)
    {
        _pending.Remove(id);
        Interlocked.Decrement(ref _armed);
    }

    private void ReleaseHeld()
    {
        lock (_gate)
        {
            var held = _held ?? [];
            _held = null;
            _holdTimer?.Dispose();
            _holdTimer = null;
            Interlocked.Decrement(ref _armed);
            foreach (var frame in held) PassThrough(frame);
        }
    }

    private void PassThrough(OutboundFrame frame)
    {
        _passThrough = true;
        try
        {
            outbox.Deliver(frame);
        }
        finally
        {
            _passThrough = false;
        }
    }

    public void Dispose()
    {
        lock (_gate) _holdTimer?.Dispose();
        owner.Detach(this);
    }
}
