using System.Reflection;
using System.Text.Json;
using BemsServer.Dispatch;
using BemsServer.Features.Sessions;
using BemsServer.Protocol;
using BemsServer.Protocol.Data;
using StreamJsonRpc;

namespace BemsServer.Transport;

/// <summary>A request as the transport hands it to StreamJsonRpc: the request id travels with the params.</summary>
public sealed record InboundCall(RequestId Id, string Method, JsonElement Params);

/// <summary>
/// The single StreamJsonRpc target of a connection. StreamJsonRpc maps each registered BEMS name here (so unknown names
/// get its -32601); this picks the handler, refuses calls that need a session, holds back calls whose
/// <c>dependencies</c> have not finished, and builds the <see cref="RpcCall"/>.
/// </summary>
public sealed class MethodBinding(MethodTable table, ClientConnection connection)
{
    public static readonly MethodInfo InvokeMethod = typeof(MethodBinding).GetMethod(nameof(Invoke))!;

    /// <summary>The connection's one-at-a-time dispatch context: a request that waited resumes in line with the others.</summary>
    private SynchronizationContext? _context;

    /// <summary>
    /// Completed at once, unless the request's dependencies are still pending: StreamJsonRpc awaits the task and sends its
    /// reply, while later requests of the connection go on. (A task returned through <c>object</c> would lose its result:
    /// StreamJsonRpc reads results by the declared type; see AsyncResultProbeTests.)
    /// </summary>
    public Task<Reply> Invoke(InboundCall inbound)
    {
        var method = table.ByName[inbound.Method];
        RequireSession(method, inbound);
        return Dependencies.TryRead(inbound.Params, inbound.Method, out var dependencies)
            ? AfterDependencies(method, inbound, dependencies)
            : Task.FromResult(Run(method, inbound));
    }

    public static void Register(JsonRpc rpc, MethodTable table, MethodBinding binding)
    {
        binding.Attach(rpc);
        foreach (var name in table.ByName.Keys)
            rpc.AddLocalRpcMethod(InvokeMethod, binding, new JsonRpcMethodAttribute(name));
    }

    private void Attach(JsonRpc rpc)
    {
        _context = rpc.SynchronizationContext;
        if (connection.Outbox is Outbox outbox) outbox.Outcomes = connection.Outcomes;
        rpc.Disconnected += (_, _) => connection.Outcomes.Abandon(); // a wait must end: it ends with its connection
    }

    private void RequireSession(IBemsMethod method, InboundCall inbound)
    {
        if (method.RequiresSession && connection.Session is null && Reconnection.Requested(inbound.Params))
            table.Reconnection?.TryResume(connection, Reconnection.DeviceTokenOf(inbound.Params));
        if (method.RequiresSession && connection.Session is null)
            throw new BemsRpcException(ErrorCodes.SessionRequired, $"Call BeginSession before {inbound.Method}.", new ErrorData(inbound.Method));
    }

    private Reply Run(IBemsMethod method, InboundCall inbound)
    {
        connection.Tenant.Control.Faults.BeforeInvoke(connection, inbound);
        return method.Invoke(new RpcCall(connection, method, inbound.Id, inbound.Method, inbound.Params));
    }

    /// <summary>Unknown or failed dependency: refused at once. All completed: runs now. Some pending: waits for them.</summary>
    private Task<Reply> AfterDependencies(IBemsMethod method, InboundCall inbound, IReadOnlyList<string> dependencies)
    {
        var outcomes = connection.Outcomes;
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
        if (pending is null) return Task.FromResult(Run(method, inbound));
        var waiting = new WaitingCall(this, method, inbound);
        outcomes.WaitFor(inbound.Id, pending, waiting);
        return waiting.Reply.Task;
    }

    /// <summary>
    /// A request held back by its dependencies. When they settle it is posted to the connection's one-at-a-time context
    /// (in the order the requests arrived, when several are freed at once) and runs there; its reply then goes out at once,
    /// as StreamJsonRpc's continuation on <see cref="Reply"/> runs synchronously.
    /// </summary>
    private sealed class WaitingCall(MethodBinding binding, IBemsMethod method, InboundCall inbound) : IWaitingRequest
    {
        private static readonly SynchronizationContext ThreadPool = new();
        private string? _failedDependency;

        public TaskCompletionSource<Reply> Reply { get; } = new();

        public void Settled(string? failedDependency)
        {
            _failedDependency = failedDependency;
            (binding._context ?? ThreadPool).Post(static state => ((WaitingCall)state!).Resume(), this);
        }

        public void Abandoned() => Reply.TrySetCanceled();

        private void Resume()
        {
            try
            {
                if (_failedDependency is { } failed) throw Dependencies.Failed(inbound.Method, failed);
                binding.RequireSession(method, inbound);
                Reply.TrySetResult(binding.Run(method, inbound));
            }
#pragma warning disable CA1031 // Every failure is the request's answer, as it would have been had it run at once.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Reply.TrySetException(ex);
            }
        }
    }
}
