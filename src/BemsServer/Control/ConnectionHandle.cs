using System.Buffers;
using System.Net.WebSockets;
using BemsServer.Dispatch;
using BemsServer.Protocol;
using BemsServer.Protocol.Data;

namespace BemsServer.Control;

/// <summary>What an armed fault rule does to the outgoing frames of one request.</summary>
internal enum OutboundFault
{
    DelayProcessing,
    DelayComplete,
    DropComplete,
    MessageUpdate,
}

/// <summary>A fault decided when the request arrived, applied to its PROCESSING or COMPLETE as they go out.</summary>
internal sealed record PendingFault(OutboundFault Action, TimeSpan Delay, MessageUpdateData? Update);

/// <summary>
/// The control plane's grip on one live connection, and its outbox's tap: it closes the connection with a chosen code,
/// applies outgoing-frame faults and hands each written frame to the frame journal. With no fault pending, admitting a
/// frame costs one volatile read.
/// </summary>
internal sealed class ConnectionHandle(
    ClientConnection client, TimeProvider time, TenantControl owner, Action<OutboundFrame, ReadOnlySequence<byte>>? journal)
    : IOutboxTap, IDisposable
{
    private readonly object _gate = new();
    private Dictionary<RequestId, Armed>? _pending; // made by the first armed fault: most connections never have one
    private List<OutboundFrame>? _held;
    private Armed? _holding;
    private bool _passThrough;
    private int _armed;

    public ClientConnection Client { get; } = client;

    /// <summary>Frames waiting in the connection's outbox (the console's advice reads it).</summary>
    public int QueuedFrames => Client.Outbox.Queued;

    /// <summary>The close code the connection ends with: normal unless the control plane closed it.</summary>
    public WebSocketCloseStatus CloseStatus { get; private set; } = WebSocketCloseStatus.NormalClosure;

    public string? CloseReason { get; private set; }

    /// <summary>Stops taking frames; those queued still go out, then the socket closes with the given code.</summary>
    public void Close(int code, string? reason)
    {
        CloseStatus = (WebSocketCloseStatus)code;
        CloseReason = reason;
        Client.Outbox.Complete();
    }

    /// <summary>
    /// Arms a fault for one request. A delay is counted on the server's clock from now (the request's arrival): its
    /// frame, and every frame after it on this connection, is held until then.
    /// </summary>
    public void Arm(RequestId request, PendingFault fault)
    {
        lock (_gate)
        {
            var armed = new Armed(fault);
            if (fault.Action is OutboundFault.DelayProcessing or OutboundFault.DelayComplete)
                armed.Timer = time.CreateTimer(static state =>
                {
                    var (handle, due) = ((ConnectionHandle, Armed))state!;
                    handle.Due(due);
                }, (this, armed), fault.Delay, Timeout.InfiniteTimeSpan);
            (_pending ??= [])[request] = armed;
            Interlocked.Increment(ref _armed);
        }
    }

    /// <summary>True lets the frame through; false means the handle took it (held, dropped or replaced).</summary>
    public bool Admit(OutboundFrame frame) => Volatile.Read(ref _armed) == 0 || FilterArmed(frame);

    public void Written(OutboundFrame frame, ReadOnlySequence<byte> utf8) => journal?.Invoke(frame, utf8);

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
            if (id.IsEmpty || _pending is null || !_pending.TryGetValue(id, out var armed)) return true;
            switch (armed.Fault.Action)
            {
                case OutboundFault.DelayProcessing when isResponse:
                case OutboundFault.DelayComplete when !isResponse:
                    _pending!.Remove(id);
                    if (armed.IsDue)
                    {
                        Interlocked.Decrement(ref _armed);
                        return true;
                    }
                    _held = [frame];
                    _holding = armed;
                    return false;
                case OutboundFault.DropComplete when !isResponse:
                    Disarm(id);
                    return false;
                case OutboundFault.MessageUpdate when !isResponse:
                    Disarm(id);
                    PassThrough(new MessageUpdateFrame(armed.Fault.Update!));
                    return false;
                default:
                    return true;
            }
        }
    }

    private void Disarm(RequestId id)
    {
        _pending?.Remove(id);
        Interlocked.Decrement(ref _armed);
    }

    private void Due(Armed armed)
    {
        lock (_gate)
        {
            armed.IsDue = true;
            armed.Timer?.Dispose();
            if (!ReferenceEquals(_holding, armed)) return;
            var held = _held ?? [];
            _held = null;
            _holding = null;
            Interlocked.Decrement(ref _armed);
            foreach (var frame in held) PassThrough(frame);
        }
    }

    private void PassThrough(OutboundFrame frame)
    {
        _passThrough = true;
        try
        {
            Client.Outbox.Deliver(frame);
        }
        finally
        {
            _passThrough = false;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_pending is not null)
                foreach (var armed in _pending.Values) armed.Timer?.Dispose();
            foreach (var frame in _held ?? []) frame.Receipt?.Dropped(); // held by a delay past the connection's end
            _held = null;
        }
        owner.Detach(this);
    }

    private sealed class Armed(PendingFault fault)
    {
        public PendingFault Fault { get; } = fault;
        public ITimer? Timer { get; set; }
        public bool IsDue { get; set; }
    }
}
