using System.Diagnostics;
using BemsServer.Bench.Client;
using BemsServer.Testing;

namespace BemsServer.Bench;

/// <summary>
/// What every test class that starts the emulator pays (<c>--fixture-start</c>): BemsServer.Testing's
/// <see cref="BemsEmulator.StartAsync(CancellationToken)"/> in this process, then a client's first BeginSession COMPLETE,
/// then the emulator's stop; one start after the other.
/// </summary>
internal static class FixtureStart
{
    public static async Task<FixtureStartRun> MeasureAsync(int starts, SessionFactory factory, Action<string> log)
    {
        var startMs = new List<double>();
        var startAsyncMs = new List<double>();
        var stopMs = new List<double>();
        try
        {
            for (var i = 1; i <= starts; i++)
            {
                var t = Stopwatch.GetTimestamp();
                var emulator = await BemsEmulator.StartAsync();
                startAsyncMs.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                try
                {
                    using var conn = await factory.OpenAsync(emulator.WebSocketUri, "fixture@example.com", signIn: true);
                    startMs.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                }
                finally
                {
                    var s = Stopwatch.GetTimestamp();
                    await emulator.DisposeAsync();
                    stopMs.Add(Stopwatch.GetElapsedTime(s).TotalMilliseconds);
                }

                log($"  fixture start {i}/{starts}: {startMs[^1]:F0} ms to the first BeginSession COMPLETE (StartAsync {startAsyncMs[^1]:F0} ms of it), stopped in {stopMs[^1]:F0} ms");
            }
        }
#pragma warning disable CA1031 // A failed start is recorded as a failure of the run (non-zero exit), not a crash.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            log($"  fixture start: FAILED {ex.GetType().Name}: {ex.Message}");
            return new FixtureStartRun(startMs, startAsyncMs, stopMs, $"{ex.GetType().Name}: {ex.Message}");
        }

        return new FixtureStartRun(startMs, startAsyncMs, stopMs, null);
    }
}
