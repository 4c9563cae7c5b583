using System.Collections.Frozen;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace BemsServer.Diagnostics;

/// <summary>
/// The server's instruments, on one <see cref="Meter"/> named <see cref="MeterName"/>. Tag values are constants (method
/// names come from the method table, unknown ones are <c>unknown</c>), so no hook allocates and no client can grow the
/// number of series.
/// <para>
/// What happens for every message (requests by method and outcome, frames and bytes in and out, frames queued, SendMessage
/// outcomes) is counted in plain fields and published as observable instruments, read when a listener collects
/// (a Prometheus scrape, an OTLP export, <c>dotnet-counters</c>): a hook is an interlocked add whoever listens. Recorded
/// per measurement, they went through every listener's callback, about 15 times per SendMessage; with the Prometheus
/// adapter listening that was a fifth of the server's CPU (docs/performance.md). The request duration stays a
/// histogram (one measurement per request); the rare counts (cuts, faults) stay counters.
/// </para>
/// <para>
/// For <c>/metrics</c> the request duration is observed straight into a prometheus-net histogram (one cached series per
/// method), not through the meter adapter, whose label lookup and lease per measurement cost 1.9 % of the server's CPU
/// at 100 pairs (docs/performance.md, seventh round). The <see cref="Histogram{T}"/> instrument stays for every other
/// listener (OTLP, <c>dotnet-counters</c>) and is recorded only while one listens.
/// </para>
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

    /// <summary>Each wire name's row in <see cref="_requests"/> (an alias shares its method's row).</summary>
    private readonly FrozenDictionary<string, int> _rows;
    private readonly KeyValuePair<string, object?>[] _methodTags;
    private readonly long[] _requests; // [row * 2 + 0]: ok, [row * 2 + 1]: error
    private readonly Histogram<double> _duration;
    private readonly Prometheus.Histogram? _exported;
    private readonly Prometheus.Histogram.Child?[] _exportedByRow;
    private readonly Counter<long> _faults;
    private readonly Counter<long> _cut;
    private long _framesIn, _framesOut, _bytesIn, _bytesOut, _queued, _delivered, _declined, _timedOut;

    /// <summary>The instrument's name, and its description (both also the <c>/metrics</c> histogram's).</summary>
    public const string DurationName = "bems.request.duration";

    private const string DurationHelp = "From reading a request to queuing its immediate response.";

    /// <summary>The request duration's buckets, in seconds: 10 µs to 1 s.</summary>
    private static readonly double[] DurationBuckets = [0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];

    /// <param name="methods">Every wire name the server answers to (aliases included), each with its method's name.</param>
    /// <param name="exportTo">The <c>/metrics</c> registry's factory, which gets the request duration directly (see above).</param>
    public BemsMetrics(IMeterFactory meters, ServerStats stats, IEnumerable<KeyValuePair<string, string>> methods, Prometheus.IMetricFactory? exportTo = null)
    {
        var meter = meters.Create(MeterName);
        var rowOfMethod = new Dictionary<string, int>(StringComparer.Ordinal) { [Unknown] = 0 };
        var rows = new Dictionary<string, int>(StringComparer.Ordinal) { [Unknown] = 0 };
        foreach (var (name, method) in methods)
        {
            if (!rowOfMethod.TryGetValue(method, out var row)) rowOfMethod[method] = row = rowOfMethod.Count;
            rows[name] = row; // an alias counts as its method
        }
        _rows = rows.ToFrozenDictionary(StringComparer.Ordinal);
        _methodTags = new KeyValuePair<string, object?>[rowOfMethod.Count];
        foreach (var (method, row) in rowOfMethod) _methodTags[row] = new("method", method);
        _requests = new long[rowOfMethod.Count * 2];

        meter.CreateObservableGauge("bems.sessions", () => stats.Sessions, "{session}", "Signed-in client sessions (simulated users not counted).");
        meter.CreateObservableGauge("bems.connections", () => stats.Connections, "{connection}", "Open client WebSocket connections.");
        meter.CreateObservableCounter("bems.requests", ObserveRequests, "{request}", "Requests dispatched, by method and outcome (ok: answered PROCESSING/COMPLETE; error: a JSON-RPC error).");
        _duration = meter.CreateHistogram(DurationName, "s", DurationHelp, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        // Named as the meter adapter names an instrument ({meter}_{instrument}, dots as underscores), as it was when the adapter exported it.
        _exported = exportTo?.CreateHistogram($"{MeterName}_{DurationName}".Replace('.', '_').ToLowerInvariant(), DurationHelp,
            new Prometheus.HistogramConfiguration { LabelNames = ["method"], Buckets = DurationBuckets });
        _exportedByRow = new Prometheus.Histogram.Child?[rowOfMethod.Count];
        meter.CreateObservableCounter("bems.send_message.outcomes", () => (Measurement<long>[])[
            new(Volatile.Read(ref _delivered), Delivered), new(Volatile.Read(ref _declined), Declined), new(Volatile.Read(ref _timedOut), TimedOut)],
            "{message}", "SendMessage outcomes: delivered (COMPLETE), declined or timed_out (MessageUpdate).");
        meter.CreateObservableCounter("bems.frames", () => (Measurement<long>[])[new(Volatile.Read(ref _framesIn), In), new(Volatile.Read(ref _framesOut), Out)],
            "{frame}", "WebSocket messages read (in) and written (out).");
        meter.CreateObservableCounter("bems.frame.bytes", () => (Measurement<long>[])[new(Volatile.Read(ref _bytesIn), In), new(Volatile.Read(ref _bytesOut), Out)],
            "By", "Bytes of WebSocket messages read (in) and written (out).");
        meter.CreateObservableUpDownCounter("bems.frames.queued", () => Volatile.Read(ref _queued), "{frame}", "Frames waiting in the connections' outboxes.");
        _faults = meter.CreateCounter<long>("bems.fault.firings", "{firing}", "Injected fault rules that fired, by action.");
        _cut = meter.CreateCounter<long>("bems.connections.cut", "{connection}",
            "Connections cut off as slow consumers (1008), by reason: queue (too many frames or bytes waiting) or stall (no send completed within Bems:Transport:StallTimeout).");
    }

    /// <summary>A request answered by its handler (<paramref name="method"/> is a known method name).</summary>
    public void Request(string method, long readAt) => Record(method, 0, readAt);

    /// <summary>A request answered with a JSON-RPC error (the method may be one the server does not know).</summary>
    public void Refused(string method, long readAt) => Record(method, 1, readAt);

    public void FrameRead(int bytes)
    {
        Interlocked.Increment(ref _framesIn);
        Interlocked.Add(ref _bytesIn, bytes);
    }

    public void FrameWritten(long bytes)
    {
        Interlocked.Increment(ref _framesOut);
        Interlocked.Add(ref _bytesOut, bytes);
    }

    public void FrameQueued() => Interlocked.Increment(ref _queued);

    /// <summary>A connection was cut off as a slow consumer (<paramref name="stalled"/>: its socket took no bytes for the stall timeout).</summary>
    public void SlowConsumerCut(bool stalled) => _cut.Add(1, new KeyValuePair<string, object?>("reason", stalled ? "stall" : "queue"));

    public void FramesUnqueued(int count) => Interlocked.Add(ref _queued, -count);

    public void MessageDelivered() => Interlocked.Increment(ref _delivered);

    /// <summary>A SendMessage ended in MessageUpdate: <paramref name="declined"/>, or timed out (nobody answered or nobody signed in).</summary>
    public void MessageFailed(bool declined)
    {
        if (declined) Interlocked.Increment(ref _declined);
        else Interlocked.Increment(ref _timedOut);
    }

    public void FaultFired(string action) => _faults.Add(1, new KeyValuePair<string, object?>("action", action));

    private void Record(string method, int outcome, long readAt)
    {
        var row = _rows.GetValueOrDefault(method); // 0: unknown
        Interlocked.Increment(ref _requests[(row * 2) + outcome]);
        if (_exported is null && !_duration.Enabled) return;
        var seconds = Stopwatch.GetElapsedTime(readAt).TotalSeconds;
        // A method's series appears with its first request (as the adapter made them); the race to make it is benign.
        if (_exported is not null) (_exportedByRow[row] ??= _exported.WithLabels((string)_methodTags[row].Value!)).Observe(seconds);
        if (_duration.Enabled) _duration.Record(seconds, _methodTags[row]);
    }

    /// <summary>The requests counted so far, one series per method and outcome that has one (as a counter's series begin).</summary>
    private List<Measurement<long>> ObserveRequests()
    {
        var measurements = new List<Measurement<long>>();
        for (var i = 0; i < _requests.Length; i++)
        {
            var count = Volatile.Read(ref _requests[i]);
            if (count > 0) measurements.Add(new(count, _methodTags[i / 2], i % 2 == 0 ? Ok : Error));
        }
        return measurements;
    }
}
