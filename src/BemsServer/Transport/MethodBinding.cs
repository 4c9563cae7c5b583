using System.Reflection;
using System.Text.Json;
using BemsServer.Dispatch;
using BemsServer.Features.Sessions;
using BemsServer.Protocol;
using BemsServer.Protocol.Data;
using Microsoft.VisualStudio.Threading;
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
        List<(string Id, Task<RequestOutcome> Settled)>? waits = null;
        foreach (var dependency in dependencies)
        {
            switch (outcomes.Find(dependency, out var id))
            {
                case RequestOutcome.Unknown:
                    throw Dependencies.Unknown(inbound.Method, dependency);
                case RequestOutcome.Failed:
                    throw Dependencies.Failed(inbound.Method, dependency);
                case RequestOutcome.Pending:
                    (waits ??= []).Add((dependency, outcomes.WhenSettled(id)));
                    break;
            }
        }
        if (waits is null) return Task.FromResult(Run(method, inbound));
        outcomes.Record(inbound.Id, RequestOutcome.Pending); // a later request may depend on this one while it waits
        return WaitThenRunAsync(method, inbound, waits);
    }

    private async Task<Reply> WaitThenRunAsync(IBemsMethod method, InboundCall inbound, List<(string Id, Task<RequestOutcome> Settled)> waits)
    {
        string? failed = null;
        while (waits.Count > 0 && failed is null)
        {
            // Cancelled (and so ended without an answer) when the connection closes first.
            var settled = await Task.WhenAny(waits.Select(static w => w.Settled)).ConfigureAwait(false);
            var index = waits.FindIndex(w => ReferenceEquals(w.Settled, settled));
            if (await settled.ConfigureAwait(false) != RequestOutcome.Completed) failed = waits[index].Id;
            waits.RemoveAt(index);
        }
        if (_context is not null) await _context; // back in line: requests of a connection still run one at a time
        if (failed is not null) throw Dependencies.Failed(inbound.Method, failed);
        RequireSession(method, inbound);
        return Run(method, inbound);
    }
}
