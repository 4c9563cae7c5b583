namespace BemsServer.Features.Chats;

/// <summary>
/// The bound on a delivered message's outcome (<c>Bems:Chat:DeliveryTimeout</c>): a message none of the peer's devices
/// has taken by then ends in MessageUpdate ack/timeout, whatever its devices do later. Every message waits the same
/// time, so deadlines fall in the order messages were handed over: one queue and one timer for the tenant, armed for the
/// oldest message still waiting. Messages already ended leave the queue's head as new ones come, so under normal load
/// it holds only the messages a device has not taken yet.
/// </summary>
internal sealed class DeliveryDeadlines(TimeProvider time, TimeSpan timeout)
{
    private readonly Queue<(DateTimeOffset Due, IDeliveryDeadline Message)> _waiting = new();
    private readonly Lock _gate = new();
    private ITimer? _timer;
    private bool _armed;

    /// <summary>Messages held: those waiting for a device, and ended ones not yet behind the queue's head.</summary>
    public int Count
    {
        get
        {
            lock (_gate) return _waiting.Count;
        }
    }

    public void Add(IDeliveryDeadline message)
    {
        var due = time.GetUtcNow() + timeout;
        lock (_gate)
        {
            while (_waiting.TryPeek(out var head) && head.Message.HasEnded) _waiting.Dequeue();
            _waiting.Enqueue((due, message));
            if (_armed) return;
            _armed = true;
            _timer ??= time.CreateTimer(static state => ((DeliveryDeadlines)state!).Expire(), this,
                System.Threading.Timeout.InfiniteTimeSpan, System.Threading.Timeout.InfiniteTimeSpan);
            _timer.Change(timeout, System.Threading.Timeout.InfiniteTimeSpan);
        }
    }

    private void Expire()
    {
        List<IDeliveryDeadline>? due = null;
        lock (_gate)
        {
            var now = time.GetUtcNow();
            while (_waiting.TryPeek(out var head))
            {
                if (!head.Message.HasEnded && head.Due > now)
                {
                    _timer!.Change(head.Due - now, System.Threading.Timeout.InfiniteTimeSpan);
                    break;
                }
                _waiting.Dequeue();
                if (!head.Message.HasEnded) (due ??= []).Add(head.Message);
            }
            _armed = _waiting.Count > 0;
        }
        // Outside the lock: each ends in a frame to its sender, which may run a simulated sender's reaction.
        foreach (var message in due ?? []) message.TimedOut();
    }
}

/// <summary>A delivered message whose sender waits for its outcome.</summary>
internal interface IDeliveryDeadline
{
    bool HasEnded { get; }

    /// <summary>No device took the message in time: its SendMessage ends in MessageUpdate ack/timeout, unless it already ended.</summary>
    void TimedOut();
}
