using System.Diagnostics.Metrics;
using BemsServer.Diagnostics;
using BemsServer.Dispatch;
using BemsServer.Features.Sessions;
using BemsServer.Protocol;
using Microsoft.Extensions.DependencyInjection;

namespace BemsServer.Tests.Diagnostics;

/// <summary>The instruments' tags: bounded (no client can invent a series) and named after the method, not its alias.</summary>
public sealed class BemsMetricsTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly MeterListener _listener = new();
    private readonly List<(string Instrument, long Value, Dictionary<string, object?> Tags)> _measured = [];
    private readonly BemsMetrics _metrics;

    public BemsMetricsTests()
    {
        var factory = _services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, factory)) listener.EnableMeasurementEvents(instrument); // this test's meter only
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            _measured.Add((instrument.Name, value, tags.ToArray().ToDictionary(static t => t.Key, static t => t.Value))));
        _listener.Start();
        _metrics = new BemsMetrics(factory, new ServerStats(), new MethodTable([new Method(MethodNames.SearchDirectory, [MethodNames.DirectorySearch])]).Names);
    }

    [Fact]
    public void Refused_AnUnknownMethodName_CountsUnderUnknown()
    {
        _metrics.Refused("NoSuchMethod-" + Guid.NewGuid(), System.Diagnostics.Stopwatch.GetTimestamp());
        _metrics.Refused("NoSuchMethod-" + Guid.NewGuid(), System.Diagnostics.Stopwatch.GetTimestamp());

        Collect("bems.requests").Should().ContainSingle().Which.Should().BeEquivalentTo(
            (2L, new Dictionary<string, object?> { ["method"] = "unknown", ["outcome"] = "error" }));
    }

    [Fact]
    public void Request_UnderAnAlias_CountsUnderTheMethodsName_AndEachOutcomeApart()
    {
        _metrics.Request(MethodNames.DirectorySearch, System.Diagnostics.Stopwatch.GetTimestamp());
        _metrics.Request(MethodNames.SearchDirectory, System.Diagnostics.Stopwatch.GetTimestamp());
        _metrics.Refused(MethodNames.SearchDirectory, System.Diagnostics.Stopwatch.GetTimestamp());

        Collect("bems.requests").Should().BeEquivalentTo([
            (2L, new Dictionary<string, object?> { ["method"] = MethodNames.SearchDirectory, ["outcome"] = "ok" }),
            (1L, new Dictionary<string, object?> { ["method"] = MethodNames.SearchDirectory, ["outcome"] = "error" })]);
    }

    [Fact]
    public async Task Duration_ExportedToPrometheus_HasASeriesPerMethodSeen_UnderTheMethodsName()
    {
        var registry = Prometheus.Metrics.NewCustomRegistry();
        var exported = new BemsMetrics(_services.GetRequiredService<IMeterFactory>(), new ServerStats(),
            new MethodTable([new Method(MethodNames.SearchDirectory, [MethodNames.DirectorySearch])]).Names, Prometheus.Metrics.WithCustomRegistry(registry));

        exported.Request(MethodNames.DirectorySearch, System.Diagnostics.Stopwatch.GetTimestamp());
        exported.Refused(MethodNames.SearchDirectory, System.Diagnostics.Stopwatch.GetTimestamp());

        using var text = new MemoryStream();
        await registry.CollectAndExportAsTextAsync(text);
        var counts = System.Text.Encoding.UTF8.GetString(text.ToArray()).Split('\n').Where(static l => l.StartsWith("bemsserver_bems_request_duration_count", StringComparison.Ordinal));
        counts.Should().Equal($$"""bemsserver_bems_request_duration_count{method="{{MethodNames.SearchDirectory}}"} 2""");
    }

    [Theory]
    [InlineData(true, "declined")]
    [InlineData(false, "timed_out")]
    public void MessageFailed_CountsTheOutcome(bool declined, string outcome)
    {
        _metrics.MessageFailed(declined);
        _metrics.MessageDelivered();
        _metrics.MessageDelivered();

        Collect("bems.send_message.outcomes").Should().BeEquivalentTo([
            (2L, new Dictionary<string, object?> { ["outcome"] = "delivered" }),
            (1L, new Dictionary<string, object?> { ["outcome"] = outcome }),
            (0L, new Dictionary<string, object?> { ["outcome"] = declined ? "timed_out" : "declined" })]);
    }

    [Fact]
    public void FramesQueuedThenUnqueued_AddUpToZero()
    {
        _metrics.FrameQueued();
        _metrics.FrameQueued();
        var waiting = Collect("bems.frames.queued");
        _metrics.FramesUnqueued(2);

        waiting.Should().ContainSingle().Which.Value.Should().Be(2);
        Collect("bems.frames.queued").Should().ContainSingle().Which.Value.Should().Be(0);
    }

    [Fact]
    public void Frames_AreCountedWithTheirBytes_ByDirection()
    {
        _metrics.FrameRead(10);
        _metrics.FrameWritten(100);
        _metrics.FrameWritten(50);

        Collect("bems.frames").Should().BeEquivalentTo([
            (1L, new Dictionary<string, object?> { ["direction"] = "in" }), (2L, new Dictionary<string, object?> { ["direction"] = "out" })]);
        Collect("bems.frame.bytes").Should().BeEquivalentTo([
            (10L, new Dictionary<string, object?> { ["direction"] = "in" }), (150L, new Dictionary<string, object?> { ["direction"] = "out" })]);
    }

    /// <summary>One collection of an observable instrument, as a listener makes it (a scrape, an export): its values and tags.</summary>
    private List<(long Value, Dictionary<string, object?> Tags)> Collect(string instrument)
    {
        _measured.Clear();
        _listener.RecordObservableInstruments();
        return [.. _measured.Where(m => m.Instrument == instrument).Select(static m => (m.Value, m.Tags))];
    }

    public void Dispose()
    {
        _listener.Dispose();
        _services.Dispose();
    }

    private sealed class Method(string name, IReadOnlyList<string> aliases) : IBemsMethod
    {
        public string Name => name;
        public IReadOnlyList<string> Aliases => aliases;
        public bool? Background => null;
        public Reply Invoke(RpcCall call) => throw new NotSupportedException();
    }
}
