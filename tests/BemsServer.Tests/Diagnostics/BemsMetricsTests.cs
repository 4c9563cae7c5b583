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

        _measured.Should().ContainSingle(static m => m.Instrument == "bems.requests")
            .Which.Tags.Should().BeEquivalentTo(new Dictionary<string, object?> { ["method"] = "unknown", ["outcome"] = "error" });
    }

    [Fact]
    public void Request_UnderAnAlias_CountsUnderTheMethodsName()
    {
        _metrics.Request(MethodNames.DirectorySearch, System.Diagnostics.Stopwatch.GetTimestamp());

        _measured.Should().ContainSingle(static m => m.Instrument == "bems.requests")
            .Which.Tags.Should().BeEquivalentTo(new Dictionary<string, object?> { ["method"] = MethodNames.SearchDirectory, ["outcome"] = "ok" });
    }

    [Theory]
    [InlineData(true, "declined")]
    [InlineData(false, "timed_out")]
    public void MessageFailed_CountsTheOutcome(bool declined, string outcome)
    {
        _metrics.MessageFailed(declined);

        _measured.Should().ContainSingle().Which.Should().BeEquivalentTo(
            ("bems.send_message.outcomes", 1L, new Dictionary<string, object?> { ["outcome"] = outcome }));
    }

    [Fact]
    public void FramesQueuedThenUnqueued_AddUpToZero()
    {
        _metrics.FrameQueued();
        _metrics.FrameQueued();
        _metrics.FramesUnqueued(2);

        _measured.Where(static m => m.Instrument == "bems.frames.queued").Sum(static m => m.Value).Should().Be(0);
        _measured.Should().HaveCount(3);
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
