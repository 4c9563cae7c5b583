using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using BemsServer.Dispatch;
using BemsServer.Features.Sessions;
using BemsServer.Protocol;
using BemsServer.Protocol.Data;
using Microsoft.Extensions.Logging;
using StreamJsonRpc;

namespace BemsServer.Transport;

/// <summary>
/// A request as the transport hands it to StreamJsonRpc: the BEMS method name, the request id and the time it was read
/// travel with the params.
/// </summary>
public sealed record InboundCall(RequestId Id, string Method, JsonElement Params, long ReadAt);

/// <summary>
/// The single StreamJsonRpc target of a connection. Every request reaches StreamJsonRpc under one dispatch name, so
/// each connection's JsonRpc holds a one-entry method table instead of one entry per BEMS method (the table was the
/// largest part of an idle session's memory). This picks the handler (or answers -32601), refuses calls that need a
/// session, holds back calls whose <c>dependencies</c> have not finished, runs the handler, queues its immediate
/// response and releases its effects — in dispatch order — and writes the request's one log line.
/// </summary>
public sealed partial class MethodBinding(MethodTable table, ClientConnection connection, ILogger logger)
{
    /// <summary>The name every request is dispatched under inside StreamJsonRpc; never seen on the wire.</summary>
    public const string DispatchName = "bems.dispatch";

    public static readonly MethodInfo InvokeMethod = typeof(MethodBinding).GetMethod(nameof(Invoke))!;

    /// <summary>The connection's one-at-a-time dispatch context: a request that waited resumes in line with the others.</summary>
    private SynchronizationContext? _context;

    /// <summary>
    /// The request's response and effects are queued by <see cref="Run"/> itself, so StreamJsonRpc gets no result to
    /// write: the task is completed at once, unless the request's dependencies are still pending, and while it waits
    /// later requests of the connection go on. A refusal is queued here too, in dispatch order; only an unexpected
    /// exception (a server bug) is left to StreamJsonRpc, which answers it as -32603.
    /// </summary>
    public Task Invoke(InboundCall inbound)
    {
        try
        {
            if (!table.ByName.TryGetValue(inbound.Method, out var method))
                throw new BemsRpcException(ErrorCodes.MethodNotFound,
                    $"Method not found: '{inbound.Method}' is not a BEMS-Connect method this server implements.", new ErrorData(inbound.Method));
            RequireSession(method, inbound);
            return Dependencies.TryRead(inbound.Params, inbound.Method, out var dependencies)
                ? AfterDependencies(method, inbound, dependencies)
                : Run(method, inbound);
        }
        catch (LocalRpcException ex)
        {
            LogRefused(inbound, ex);
            Refuse(inbound, ex);
            return Task.CompletedTask;
        }
    }

    /// <summary>
    /// Queues a refusal here, in dispatch order, rather than letting StreamJsonRpc write it: StreamJsonRpc writes a
    /// method's error after the method returned, outside the one-at-a-time order, where a later request's answer can
    /// overtake it.
    /// </summary>
    private void Refuse(InboundCall inbound, LocalRpcException error) =>
        connection.Outbox.Deliver(new ErrorFrame(inbound.Id, error.ErrorCode, error.Message, error.ErrorData as ErrorData));

    public static void Register(JsonRpc rpc, MethodBinding binding)
    {
        binding.Attach(rpc);
        rpc.AddLocalRpcMethod(InvokeMethod, binding, new JsonRpcMethodAttribute(DispatchName));
    }

    private void Attach(JsonRpc rpc)
    {
        _context = rpc.SynchronizationContext;
        rpc.Disconnected += (_, _) => connection.Outcomes.Abandon(); // a wait must end: it ends with its connection
    }

    private void RequireSession(IBemsMethod method, InboundCall inbound)
    {
        if (method.RequiresSession && connection.Session is null && Reconnection.Requested(inbound.Params))
            table.Reconnection?.Resume(connection, new Params(inbound.Params, inbound.Method), inbound.Method);
        if (method.RequiresSession && connection.Session is null)
            throw new BemsRpcException(ErrorCodes.SessionRequired, $"Call BeginSession before {inbound.Method}.", new ErrorData(inbound.Method));
    }

    /// <summary>
    /// Runs the handler and, while the connection's requests still run one at a time, queues the immediate response and
    /// releases the effects: ack, then push, in dispatch order. (StreamJsonRpc writes a method's result and raises
    /// OnResponseSent after the method returns, outside that order: two SendMessages released there reached their
    /// recipient swapped under load.)
    /// </summary>
    private Task Run(IBemsMethod method, InboundCall inbound)
    {
        connection.Tenant.Control.Faults.BeforeInvoke(connection, inbound);
        var reply = method.Invoke(new RpcCall(connection, method, inbound.Id, inbound.Method, inbound.Params));
        if (reply.After is not { CarriesAcknowledgement: true }) connection.Outbox.Deliver(reply.Response);
        reply.After?.Release();
        if (logger.IsEnabled(LogLevel.Information))
            LogRpc(inbound, reply.Response is ResponseFrame { Data.State: { } state } ? state : Wire.Complete);
        return Task.CompletedTask;
    }

    /// <summary>Unknown or failed dependency: refused at once. All completed: runs now. Some pending: waits for them.</summary>
    private Task AfterDependencies(IBemsMethod method, InboundCall inbound, IReadOnlyList<string> dependencies)
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
        if (pending is null) return Run(method, inbound);
        var waiting = new WaitingCall(this, method, inbound);
        outcomes.WaitFor(inbound.Id, pending, waiting);
        return waiting.Done.Task;
    }

    /// <summary>
    /// A request held back by its dependencies. When they settle it is posted to the connection's one-at-a-time context
    /// (in the order the requests arrived, when several are freed at once) and runs there, queuing its response and
    /// effects in line with the connection's other requests.
    /// </summary>
    private sealed class WaitingCall(MethodBinding binding, IBemsMethod method, InboundCall inbound) : IWaitingRequest
    {
        private static readonly SynchronizationContext ThreadPool = new();
        private string? _failedDependency;

        public TaskCompletionSource Done { get; } = new();

        public void Settled(string? failedDependency)
        {
            _failedDependency = failedDependency;
            (binding._context ?? ThreadPool).Post(static state => ((WaitingCall)state!).Resume(), this);
        }

        public void Abandoned() => Done.TrySetCanceled();

        private void Resume()
        {
            try
            {
                if (_failedDependency is { } failed) throw Dependencies.Failed(inbound.Method, failed);
                binding.RequireSession(method, inbound);
                binding.Run(method, inbound);
                Done.TrySetResult();
            }
#pragma warning disable CA1031 // Every failure is the request's answer, as it would have been had it run at once.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                if (ex is not LocalRpcException refused)
                {
                    Done.TrySetException(ex);
                    return;
                }
                binding.LogRefused(inbound, refused);
                binding.Refuse(inbound, refused);
                Done.TrySetResult();
            }
        }
    }

    private void LogRpc(InboundCall inbound, string outcome)
    {
        var session = connection.Session;
        LogRpc(logger, inbound.Method, inbound.Id.ToString(), outcome, Stopwatch.GetElapsedTime(inbound.ReadAt).TotalMilliseconds,
            session?.Id ?? "-", session?.User.Key ?? "-", connection.Tenant.Name);
    }

    private void LogRefused(InboundCall inbound, LocalRpcException error)
    {
        if (!logger.IsEnabled(LogLevel.Warning)) return;
        var session = connection.Session;
        LogRpcFailed(logger, inbound.Method, inbound.Id.ToString(), error.ErrorCode, error.Message,
            Stopwatch.GetElapsedTime(inbound.ReadAt).TotalMilliseconds, session?.Id ?? "-", session?.User.Key ?? "-", connection.Tenant.Name);
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information,
        Message = "RPC {Method} {RequestId} {Outcome} in {ElapsedMs:0.###} ms (session {SessionId}, user {UserId}, tenant {Tenant})")]
    private static partial void LogRpc(ILogger logger, string method, string requestId, string outcome, double elapsedMs,
        string sessionId, string userId, string tenant);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning,
        Message = "RPC {Method} {RequestId} refused: {ErrorCode} {ErrorMessage} in {ElapsedMs:0.###} ms (session {SessionId}, user {UserId}, tenant {Tenant})")]
    private static partial void LogRpcFailed(ILogger logger, string method, string requestId, int errorCode, string errorMessage,
        double elapsedMs, string sessionId, string userId, string tenant);
}
