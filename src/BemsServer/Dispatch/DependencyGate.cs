using BemsServer.Protocol;

namespace BemsServer.Dispatch;

/// <summary>
/// Holds back a request whose <c>dependencies</c> (spec §2.7) have not all finished. An unknown or failed dependency is
/// refused at once; when all have completed the request runs now; otherwise it waits, and when they settle it is posted
/// to the connection's one-at-a-time context (in arrival order, when several are freed at once) and runs in line with
/// the connection's other requests.
/// </summary>
internal sealed class DependencyGate(RequestOutcomes outcomes, SynchronizationContext? context)
{
    private static readonly SynchronizationContext ThreadPool = new();

    /// <summary>
    /// Runs <paramref name="run"/> once the dependencies completed; a refusal after a wait goes to <paramref name="refused"/>
    /// (which answers it, in line with the connection's other answers). One found at once is thrown.
    /// </summary>
    public Task RunAfter(InboundCall inbound, IReadOnlyList<string> dependencies, Action run, Action<BemsRpcException> refused)
    {
        List<(RequestId Id, string Name)>? pending = null;
        foreach (var dependency in dependencies)
        {
            switch (outcomes.Find(dependency, out var id))
            {
                case RequestOutcome.Unknown:
                    throw Dependencies.Unknown(inbound.Method, dependency);
                case RequestOutcome.Failed:
                    throw Dependencies.Failed(inbound.Method, dependency);
                case RequestOutcome.Pending:
                    (pending ??= []).Add((id, dependency));
                    break;
            }
        }
        if (pending is null)
        {
            run();
            return Task.CompletedTask;
        }
        var waiting = new WaitingCall(inbound, run, refused, context ?? ThreadPool);
        outcomes.WaitFor(inbound.Id, pending, waiting);
        return waiting.Done.Task;
    }

    private sealed class WaitingCall(InboundCall inbound, Action run, Action<BemsRpcException> refused, SynchronizationContext context)
        : IWaitingRequest
    {
        private string? _failedDependency;

        public TaskCompletionSource Done { get; } = new();

        public void Settled(string? failedDependency)
        {
            _failedDependency = failedDependency;
            context.Post(static state => ((WaitingCall)state!).Resume(), this);
        }

        public void Abandoned() => Done.TrySetCanceled();

        private void Resume()
        {
            try
            {
                if (_failedDependency is { } failed) throw Dependencies.Failed(inbound.Method, failed);
                run();
                Done.TrySetResult();
            }
#pragma warning disable CA1031 // Every failure is the request's answer, as it would have been had it run at once.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                if (ex is not BemsRpcException localRpc)
                {
                    Done.TrySetException(ex);
                    return;
                }
                refused(localRpc);
                Done.TrySetResult();
            }
        }
    }
}
