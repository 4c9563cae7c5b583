using System.Collections.Frozen;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace BemsServer.Diagnostics;

/// <summary>
/// The server's instruments, on one <see cref="Meter"/> named <see cref="MeterName"/>. Each hook is one call from a
/// place that already counts; with no listener an instrument is disabled and a hook costs a flag check. Tag values are
/// constants (method names come from the method table, unknown ones are <c>unknown</c>), so no hook allocates and no
/// client can grow the number of series.
/// </summary>
internal sealed class BemsMetrics
{
    public const string MeterName = "BemsServer";

    private const string Unknown = "unknown";
    private static readonly KeyValuePair<string, object?> Ok = new("outcome", "ok");
    private static readonly KeyValuePair<string, object?> Error = new("outcome", "error");
    private static readonly KeyValuePair<string, object?> In = new("direction", "in");
    private static readonly KeyValuePair<string, object?> Out = new("direction", "out");
    private static readonly KeyValuePair<string, object?> Delivered = new("outcome", "delivered");
    private static readonly KeyValuePair<string, object?> Declined = new("outcome", "declined");
    private static readonly KeyValuePair<string, object?> TimedOut = new("outcome", "timed_out");

    private readonly FrozenDictionary<string, KeyValuePair<string, object?>> _methods;
    private readonly Counter<long> _requests;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _messages;
    private readonly Counter<long> _frames;
    private readonly Counter<long> _bytes;
    private readonly UpDownCounter<long> _queued;
    private readonly Counter<long> _faults;
    private readonly Counter<long> _cut;

    /// <param name="methods">Every wire name the server answers to (aliases included), each with its method's name.</param>
    public BemsMetrics(IMeterFactory meters, ServerStats stats, IEnumerable<KeyValuePair<string, string>> methods)
    {
        var meter = meters.Create(MeterName);
        var tags = new Dictionary<string, KeyValuePair<string, object?>>(StringComparer.Ordinal) { [Unknown] = new("method", Unknown) };
        foreach (var (name, method) in methods) tags[name] = new("method", method); // an alias counts as its method
        _methods = tags.ToFrozenDictionary(StringComparer.Ordinal);
        meter.CreateObservableGauge("bems.sessions", () => stats.Sessions, "{session}", "Signed-in client sessions (simulated users not counted).");
        meter.CreateObservableGauge("bems.connections", () => stats.Connections, "{connection}", "Open client WebSocket connections.");
        _requests = meter.CreateCounter<long>("bems.requests", "{request}", "Requests dispatched, by method and outcome (ok: answered PROCESSING/COMPLETE; error: a JSON-RPC error).");
        _duration = meter.CreateHistogram("bems.request.duration", "s", "From reading a request to queuing its immediate response.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1] });
        _messages = meter.CreateCounter<long>("bems.send_message.outcomes", "{message}", "SendMessage outcomes: delivered (COMPLETE), declined or timed_out (MessageUpdate).");
        _frames = meter.CreateCounter<long>("bems.frames", "{frame}", "WebSocket messages read (in) and written (out).");
        _bytes = meter.CreateCounter<long>("bems.frame.bytes", "By", "Bytes of WebSocket messages read (in) and written (out).");
        _queued = meter.CreateUpDownCounter<long>("bems.frames.queued", "{frame}", "Frames waiting in the connections' outboxes.");
        _faults = meter.CreateCounter<long>("bems.fault.firings", "{firing}", "Injected fault rules that fired, by action.");
        _cut = meter.CreateCounter<long>("bems.connections.cut", "{connection}",
            "Connections cut off as slow consumers (1008), by reason: queue (too many frames or bytes waiting) or stall (no send completed within Bems:Transport:StallTimeout).");
    }

    /// <summary>A request answered by its handler (<paramref name="method"/> is a known method name).</summary>
    public void Request(string method, long readAt) => Record(method, Ok, readAt);

    /// <summary>A request answered with a JSON-RPC error (the method may be one the server does not know).</summary>
    public void Refused(string method, long readAt) => Record(method, Error, readAt);

    public void FrameRead(int bytes) => Frame(In, bytes);

    public void FrameWritten(long bytes) => Frame(Out, bytes);

    public void FrameQueued() => _queued.Add(1);

    /// <summary>A connection was cut off as a slow consumer (<paramref name="stalled"/>: its socket took no bytes for the stall timeout).</summary>
    public void SlowConsumerCut(bool stalled) => _cut.Add(1, new KeyValuePair<string, object?>("reason", stalled ? "stall" : "queue"));

    public void FramesUnqueued(int count) => _queued.Add(-count);

    public void MessageDelivered() => _messages.Add(1, Delivered);

    /// <summary>A SendMessage ended in MessageUpdate: <paramref name="declined"/>, or timed out (nobody answered or nobody signed in).</summary>
    public void MessageFailed(bool declined) => _messages.Add(1, declined ? Declined : TimedOut);

    public void FaultFired(string action) => _faults.Add(1, new KeyValuePair<string, object?>("action", action));

    private void Record(string method, KeyValuePair<string, object?> outcome, long readAt)
    {
        if (!_methods.TryGetValue(method, out var tag)) tag = _methods[Unknown];
        _requests.Add(1, tag, outcome);
        if (_duration.Enabled) _duration.Record(Stopwatch.GetElapsedTime(readAt).TotalSeconds, tag);
    }

    private void Frame(KeyValuePair<string, object?> direction, long bytes)
    {
        _frames.Add(1, direction);
        _bytes.Add(bytes, direction);
    }
}
