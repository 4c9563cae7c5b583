using System.Collections.Concurrent;
using Serilog.Core;
using Serilog.Events;

namespace BemsServer.IntegrationTests.Infrastructure;

/// <summary>A Serilog sink (picked up by the server's <c>ReadFrom.Services</c>) that keeps every event it is given.</summary>
public sealed class LogCollector : ILogEventSink
{
    private readonly ConcurrentQueue<(LogEventLevel Level, string Message)> _events = new();

    public void Emit(LogEvent logEvent) =>
        _events.Enqueue((logEvent.Level, logEvent.RenderMessage(System.Globalization.CultureInfo.InvariantCulture)));

    public IReadOnlyList<(LogEventLevel Level, string Message)> Snapshot() => [.. _events];
}
