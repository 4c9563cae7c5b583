using System.Globalization;
using System.Runtime.InteropServices;
using BemsServer.Protocol;
using StreamJsonRpc;

namespace BemsServer.Dispatch;

/// <summary>Where a request of the connection stands, as a later request's <c>dependencies</c> read it.</summary>
public enum RequestOutcome
{
    /// <summary>No request of this connection had the id, or it is older than the table remembers.</summary>
    Unknown,
    /// <summary>Answered (PROCESSING), or waiting for its own dependencies; its completion has not gone out yet.</summary>
    Pending,
    /// <summary>Its COMPLETE/COMPLETED went out, or its immediate answer was already final.</summary>
    Completed,
    /// <summary>It was answered with a JSON-RPC error, or ended in a MessageUpdate.</summary>
    Failed,
}

/// <summary>
/// The outcomes of a connection's recent requests, fed with every frame its outbox takes and read by requests that carry
/// <c>dependencies</c>. A settled outcome is final. Bounded: only the last <see cref="Capacity"/> ids are remembered (an
/// older id reads as unknown), so a long-lived connection costs at most that many entries.
/// </summary>
public sealed class RequestOutcomes
{
    public const int DefaultCapacity = 4096;

    private readonly object _gate = new();
    private readonly Dictionary<RequestId, RequestOutcome> _byId = [];
    private readonly Queue<RequestId> _order = new();
    private Dictionary<RequestId, TaskCompletionSource<RequestOutcome>>? _waiters;
    private bool _abandoned;

    public RequestOutcomes(int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
    }

    public int Capacity { get; }

    /// <summary>How many ids are remembered now.</summary>
    public int Count
    {
        get
        {
            lock (_gate) return _byId.Count;
        }
    }

    /// <summary>Reads the outcome a frame bound for the client settles; frames of no request (events) are ignored.</summary>
    public void Observe(OutboundFrame frame)
    {
        var (id, outcome) = frame switch
        {
            ResponseFrame r => (r.Id, r.Data.State == Wire.Processing ? RequestOutcome.Pending : RequestOutcome.Completed),
            CompletionFrame c => (c.Id, RequestOutcome.Completed),
            ErrorFrame e => (e.Id, RequestOutcome.Failed),
            MessageUpdateFrame m => (m.Request, RequestOutcome.Failed),
            LegacyStatusFrame l => (l.Id, RequestOutcome.Completed),
            _ => (RequestId.NotSpecified, RequestOutcome.Unknown),
        };
        if (!id.IsEmpty && !id.IsNull) Record(id, outcome);
    }

    /// <summary>Records an outcome. A settled one is final: a late PROCESSING (a fault held it back) does not reopen it.</summary>
    public void Record(RequestId id, RequestOutcome outcome)
    {
        TaskCompletionSource<RequestOutcome>? waiter = null;
        lock (_gate)
        {
            ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_byId, id, out var known);
            if (known && slot != RequestOutcome.Pending) return;
            slot = outcome;
            if (!known)
            {
                _order.Enqueue(id);
                if (_order.Count > Capacity) _byId.Remove(_order.Dequeue());
            }
            if (outcome != RequestOutcome.Pending) _waiters?.Remove(id, out waiter);
        }
        waiter?.TrySetResult(outcome);
    }

    /// <summary>
    /// The outcome of the request a dependency names. Ids are matched as sent: <c>"7"</c> names the request <c>"7"</c>,
    /// or failing that the request with the number id 7.
    /// </summary>
    public RequestOutcome Find(string dependency, out RequestId id)
    {
        lock (_gate)
        {
            id = new RequestId(dependency);
            if (_byId.TryGetValue(id, out var outcome)) return outcome;
            if (long.TryParse(dependency, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
                && _byId.TryGetValue(new RequestId(number), out outcome))
            {
                id = new RequestId(number);
                return outcome;
            }
            return RequestOutcome.Unknown;
        }
    }

    /// <summary>Completes when the request settles (at once when it already has); cancelled when the connection closes.</summary>
    public Task<RequestOutcome> WhenSettled(RequestId id)
    {
        lock (_gate)
        {
            if (_abandoned) return Task.FromCanceled<RequestOutcome>(new CancellationToken(canceled: true));
            if (_byId.TryGetValue(id, out var outcome) && outcome != RequestOutcome.Pending) return Task.FromResult(outcome);
            _waiters ??= [];
            if (!_waiters.TryGetValue(id, out var waiter))
                _waiters[id] = waiter = new TaskCompletionSource<RequestOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
            return waiter.Task;
        }
    }

    /// <summary>The connection closed: every wait ends (cancelled), and none begins any more.</summary>
    public void Abandon()
    {
        List<TaskCompletionSource<RequestOutcome>> waiters;
        lock (_gate)
        {
            _abandoned = true;
            waiters = _waiters is null ? [] : [.. _waiters.Values];
            _waiters = null;
        }
        foreach (var waiter in waiters) waiter.TrySetCanceled();
    }
}
