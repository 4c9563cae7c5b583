using BemsServer.Protocol.Data;

namespace BemsServer.Client;

/// <summary>
/// The server events a client received and nobody has taken yet, in wire order. A waiter takes the first event that
/// matches it, already received or still to come; events passed over stay for later waiters.
/// </summary>
internal sealed class EventQueue
{
    private readonly Lock _gate = new();
    private readonly List<BemsData> _unconsumed = [];
    private readonly List<Waiter> _waiters = [];
    private readonly List<BemsData> _history = [];
    private Exception? _closed;

    public IReadOnlyList<BemsData> History
    {
        get { lock (_gate) return [.. _history]; }
    }

    public IReadOnlyList<BemsData> Unconsumed
    {
        get { lock (_gate) return [.. _unconsumed]; }
    }

    public void Add(BemsData item)
    {
        Waiter? taker = null;
        lock (_gate)
        {
            _history.Add(item);
            var index = _waiters.FindIndex(w => w.Match(item));
            if (index >= 0)
            {
                taker = _waiters[index];
                _waiters.RemoveAt(index);
            }
            else
            {
                _unconsumed.Add(item);
            }
        }
        taker?.Result.TrySetResult(item);
    }

    public async Task<BemsData> TakeAsync(Func<BemsData, bool> match, TimeSpan timeout, string what, CancellationToken cancellationToken)
    {
        var waiter = new Waiter(match);
        lock (_gate)
        {
            var index = _unconsumed.FindIndex(e => match(e));
            if (index >= 0)
            {
                var found = _unconsumed[index];
                _unconsumed.RemoveAt(index);
                return found;
            }
            if (_closed is not null) throw new BemsConnectionClosedException($"The connection closed before {what}.", _closed);
            _waiters.Add(waiter);
        }
        try
        {
            return await waiter.Result.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            bool stillWaiting;
            lock (_gate) stillWaiting = _waiters.Remove(waiter);
            // Taken by Add in the meantime: the result is set, or about to be.
            if (!stillWaiting) return await waiter.Result.Task.ConfigureAwait(false);
            if (ex is OperationCanceledException) throw;
            throw new TimeoutException($"No {what} within {timeout.TotalSeconds:0.#} s. Unconsumed events: {string.Join(", ", Unconsumed)}");
        }
    }

    public void Close(Exception reason)
    {
        List<Waiter> waiters;
        lock (_gate)
        {
            _closed ??= reason;
            waiters = [.. _waiters];
            _waiters.Clear();
        }
        foreach (var waiter in waiters) waiter.Result.TrySetException(new BemsConnectionClosedException("The connection closed while waiting for an event.", reason));
    }

    private sealed class Waiter(Func<BemsData, bool> match)
    {
        public Func<BemsData, bool> Match { get; } = match;
        public TaskCompletionSource<BemsData> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
