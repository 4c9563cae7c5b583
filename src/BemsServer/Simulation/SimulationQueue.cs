using System.Threading.Channels;
using BemsServer.Dispatch;
using Microsoft.Extensions.Logging;

namespace BemsServer.Simulation;

/// <summary>
/// Runs simulated users' reactions one at a time, off the caller's path, so that a reaction never runs inside the
/// request (or lock) that caused it and always comes after that request's own frames.
/// </summary>
internal sealed partial class SimulationQueue : IAsyncDisposable
{
    private readonly Channel<Action<Effects>> _work = Channel.CreateUnbounded<Action<Effects>>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ILogger _logger;
    private readonly Task _loop;

    public SimulationQueue(ILogger logger)
    {
        _logger = logger;
        _loop = Task.Run(RunAsync);
    }

    public void Post(Action<Effects> reaction) => _work.Writer.TryWrite(reaction);

    private async Task RunAsync()
    {
        await foreach (var reaction in _work.Reader.ReadAllAsync())
        {
            try
            {
                var fx = new Effects();
                reaction(fx);
                fx.Release();
            }
#pragma warning disable CA1031 // A failing reaction must not stop the other simulated users.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogReactionFailed(_logger, ex);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _work.Writer.TryComplete();
        await _loop;
    }

    [LoggerMessage(EventId = 451, Level = LogLevel.Error, Message = "A simulated user's reaction failed")]
    private static partial void LogReactionFailed(ILogger logger, Exception exception);
}
