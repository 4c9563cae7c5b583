using System.Globalization;
using System.Runtime.InteropServices;
using BemsServer.Protocol;

namespace BemsServer.Dispatch;

/// <summary>Where a request of the connection stands, as a later request's <c>dependencies</c> read it.</summary>
internal enum RequestOutcome
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

/// <summary>A request held back by its <c>dependencies</c>; told once how the wait ended.</summary>
internal interface IWaitingRequest
{
    /// <summary>
    /// Every dependency completed (<paramref name="failedDependency"/> null) or the named one failed. Called under the
    /// table's lock, in the order the waits were registered: it must only schedule work (post it), never run it.
    /// </summary>
    void Settled(string? failedDependency);

    /// <summary>The connection closed first: the request is dropped.</summary>
    void Abandoned();
}

/// <summary>
/// The outcomes of a connection's recent requests, fed with every frame its outbox takes and read by requests that carry
/// <c>dependencies</c>. A settled outcome is final. Bounded: only the last <see cref="Capacity"/> ids are remembered (an
/// older id reads as unknown), so a long-lived connection costs at most that many entries.
/// </summary>
internal sealed class RequestOutcomes
{
    public const int DefaultCapacity = 256;

    private readonly object _gate = new();
    private readonly Dictionary<Key, RequestOutcome> _byId = [];
    private readonly Queue<Key> _order = new();
    private List<Wait>? _waits;
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
        lock (_gate)
        {
            var key = new Key(id);
            ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_byId, key, out var known);
            if (known && slot != RequestOutcome.Pending) return;
            slot = outcome;
            if (!known)
            {
                _order.Enqueue(key);
                if (_order.Count > Capacity) _byId.Remove(_order.Dequeue());
            }
            if (outcome != RequestOutcome.Pending && _waits is not null) SettleLocked(id, outcome);
        }
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
            if (_byId.TryGetValue(new Key(id), out var outcome)) return outcome;
            if (long.TryParse(dependency, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
                && _byId.TryGetValue(new Key(new RequestId(number)), out outcome))
            {
                id = new RequestId(number);
                return outcome;
            }
            return RequestOutcome.Unknown;
        }
    }

    /// <summary>
    /// Holds <paramref name="request"/> (whose own id becomes pending) until the pending dependencies settle. Requests that
    /// become free at the same moment are told in the order they began to wait.
    /// </summary>
    public void WaitFor(RequestId requestId, IReadOnlyList<(RequestId Id, string Name)> pending, IWaitingRequest request)
    {
        Record(requestId, RequestOutcome.Pending); // a later request may depend on this one while it waits
        var abandoned = false;
        lock (_gate)
        {
            if (_abandoned) abandoned = true;
            else
            {
                var wait = new Wait(request, [.. pending]);
                // Whatever settled since the caller looked counts now.
                foreach (var (id, _) in pending)
                    if (_byId.TryGetValue(new Key(id), out var outcome) && outcome != RequestOutcome.Pending && wait.Settle(id, outcome)) return;
                (_waits ??= []).Add(wait);
            }
        }
        if (abandoned) request.Abandoned();
    }

    /// <summary>The connection closed: every waiting request is dropped, and none begins to wait any more.</summary>
    public void Abandon()
    {
        List<Wait> dropped;
        lock (_gate)
        {
            _abandoned = true;
            dropped = _waits ?? [];
            _waits = null;
        }
        foreach (var wait in dropped) wait.Request.Abandoned();
    }

    private void SettleLocked(RequestId id, RequestOutcome outcome) =>
        _waits!.RemoveAll(wait => wait.Settle(id, outcome));

    /// <summary>
    /// A remembered id: a number, or a string of up to 22 ASCII characters, held inline; any other string by reference.
    /// A busy connection's last ids stay for seconds, long enough for a string of each request to be promoted twice and
    /// die in gen2 (issue 20); inline, a remembered id is no object of its own.
    /// </summary>
    private readonly struct Key : IEquatable<Key>
    {
        private readonly Inline _inline;
        private readonly string? _text;
        private readonly byte _length; // inline bytes: 8 for a number, the characters for a string
        private readonly byte _kind; // RequestId's: 0 none, 1 null, 2 a string, 3 a number

        public Key(RequestId id)
        {
            if (id.Number is { } number)
            {
                _kind = 3;
                _length = sizeof(long);
                MemoryMarshal.Write(_inline, number);
                return;
            }
            _kind = id.IsEmpty ? (byte)0 : id.IsNull ? (byte)1 : (byte)2;
            var text = id.String ?? "";
            if (text.Length <= Inline.Length && System.Text.Ascii.FromUtf16(text, _inline, out _) == System.Buffers.OperationStatus.Done)
                _length = (byte)text.Length;
            else
                _text = text;
        }

        public bool Equals(Key other) =>
            _kind == other._kind && _length == other._length && string.Equals(_text, other._text, StringComparison.Ordinal)
            && ((ReadOnlySpan<byte>)_inline)[.._length].SequenceEqual(((ReadOnlySpan<byte>)other._inline)[.._length]);

        public override bool Equals(object? obj) => obj is Key other && Equals(other);

        public override int GetHashCode()
        {
            var hash = new HashCode();
            hash.Add(_kind);
            hash.AddBytes(((ReadOnlySpan<byte>)_inline)[.._length]);
            hash.Add(_text, StringComparer.Ordinal);
            return hash.ToHashCode();
        }

        [System.Runtime.CompilerServices.InlineArray(Length)]
        private struct Inline
        {
            public const int Length = 22; // the key is then 32 bytes, as RequestId is: no more memory per remembered id
            private byte _first;
        }
    }

    /// <summary>One waiting request and the dependencies it still waits for.</summary>
    private sealed class Wait(IWaitingRequest request, List<(RequestId Id, string Name)> pending)
    {
        public IWaitingRequest Request { get; } = request;

        /// <summary>True when this settles the wait (the request has been told).</summary>
        public bool Settle(RequestId id, RequestOutcome outcome)
        {
            var index = pending.FindIndex(p => p.Id.Equals(id));
            if (index < 0) return false;
            if (outcome != RequestOutcome.Completed)
            {
                Request.Settled(pending[index].Name);
                return true;
            }
            pending.RemoveAll(p => p.Id.Equals(id)); // an id may be listed twice
            if (pending.Count > 0) return false;
            Request.Settled(null);
            return true;
        }
    }
}
