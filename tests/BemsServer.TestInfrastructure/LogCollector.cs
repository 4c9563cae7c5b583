using System.Collections.Concurrent;
using Serilog.Core;
using Serilog.Events;

namespace BemsServer.TestInfrastructure;

/// <summary>A Serilog sink (picked up by the server's <c>ReadFrom.Services</c>) that keeps every event it is given.</summary>
public sealed class LogCollector : ILogEventSink
{
    private readonly ConcurrentQueue<(LogEventLevel Level, string Message)> _events = new();
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Found)> _waiters = [];

    public void Emit(LogEvent logEvent)
    {
        var message = logEvent.RenderMessage(System.Globalization.CultureInfo.InvariantCulture);
        _events.Enqueue((logEvent.Level, message));
        lock (_waiters)
        {
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (!_waiters[i].Match(message)) continue;
                _waiters[i].Found.TrySetResult(message);
                _waiters.RemoveAt(i);
            }
        }
    }

    public IReadOnlyList<(LogEventLevel Level, string Message)> Snapshot() => [.. _events];

    /// <summary>The first line (already logged or still to come) that matches, within the bound.</summary>
    public Task<string> WaitForAsync(Func<string, bool> match, string what, TimeSpan? timeout = null)
    {
        var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_waiters)
        {
            foreach (var (_, message) in _events)
                if (match(message)) return Task.FromResult(message);
            _waiters.Add((match, found));
        }
        return found.Task.WaitAsync(timeout ?? WireClient.DefaultTimeout)
            .ContinueWith(t => t.IsCompletedSuccessfully ? t.Result : throw new TimeoutException($"No log line {what}."), TaskScheduler.Default);
    }
}
