using System.Diagnostics;
using BemsServer.Features.Sessions;
using BemsServer.Protocol;
using BemsServer.Protocol.Data;
using Microsoft.Extensions.Logging;

namespace BemsServer.Dispatch;

/// <summary>
/// One connection's dispatcher, the one step between a parsed request and its answer: it picks the handler (or answers
/// -32601), refuses calls that need a session, holds back calls whose <c>dependencies</c> have not finished
/// (<see cref="DependencyGate"/>), runs the handler, releases the request's effects — headed by its immediate response,
/// see <see cref="Effects"/> — and writes the request's one log line. It runs one request at a time per connection,
/// in arrival order (the transport's synchronization context), so a connection's answers and the effects of its
/// requests are queued in the order its requests arrived.
/// </summary>
internal sealed partial class Dispatcher
{
    private readonly MethodTable _table;
    private readonly ClientConnection _connection;
    private readonly ILogger _logger;
    private readonly DependencyGate _dependencies;
    private readonly Reconnection? _reconnection;
    private readonly Action<ClientConnection, InboundCall>? _beforeInvoke;

    /// <param name="reconnection">Resumes parked sessions for requests that carry <c>reconnect</c> (none: such a request needs BeginSession).</param>
    /// <param name="beforeInvoke">Runs before each handler (the control plane's fault rules): it may throw a refusal or arm the connection.</param>
    public Dispatcher(MethodTable table, ClientConnection connection, ILogger logger, SynchronizationContext? context,
        Reconnection? reconnection = null, Action<ClientConnection, InboundCall>? beforeInvoke = null)
    {
        (_table, _connection, _logger, _reconnection, _beforeInvoke) = (table, connection, logger, reconnection, beforeInvoke);
        _dependencies = new DependencyGate(connection.Outcomes, context);
    }

    /// <summary>
    /// Dispatches one request. The task completes at once unless the request waits for its dependencies (later requests
    /// of the connection go on meanwhile). A refusal is queued here too, in dispatch order (<see cref="Refuse"/>); only an
    /// unexpected exception (a server bug) is left to the connection's session half, which answers it as -32603.
    /// </summary>
    public Task Dispatch(InboundCall inbound)
    {
        if (inbound.Rejected is { } rejected)
        {
            Refuse(inbound, rejected.Code, rejected.Message, rejected.Data);
            return Task.CompletedTask;
        }
        try
        {
            if (!_table.ByName.TryGetValue(inbound.Method, out var method))
                throw new BemsRpcException(ErrorCodes.MethodNotFound,
                    $"Method not found: '{inbound.Method}' is not a BEMS-Connect method this server implements.", new ErrorData(inbound.Method));
            RequireSession(method, inbound);
            if (Dependencies.TryRead(inbound.Params, inbound.Method, out var dependencies))
                return RunAfter(dependencies, method, inbound.Owned());
            Run(method, inbound);
            return Task.CompletedTask;
        }
        catch (BemsRpcException ex)
        {
            Refuse(inbound, ex);
            return Task.CompletedTask;
        }
    }

    /// <summary>A request with <c>dependencies</c>: it runs once they settle (its own method, so only such a request makes the closures).</summary>
    private Task RunAfter(IReadOnlyList<string> dependencies, IBemsMethod method, InboundCall inbound) =>
        _dependencies.RunAfter(inbound, dependencies, () =>
        {
            RequireSession(method, inbound);
            Run(method, inbound);
        }, refused => Refuse(inbound, refused));

    /// <summary>Logs a refusal and queues its error frame now, on the one-at-a-time context: in line with every other answer.</summary>
    private void Refuse(InboundCall inbound, BemsRpcException error) => Refuse(inbound, error.ErrorCode, error.Message, error.ErrorData);

    private void Refuse(InboundCall inbound, int code, string message, ErrorData? data)
    {
        LogRefused(inbound, code, message);
        _connection.Outbox.Deliver(new ErrorFrame(inbound.Id, code, message, data));
    }

    /// <summary>The connection ended: requests still waiting for their dependencies end with it.</summary>
    public void Abandon() => _connection.Outcomes.Abandon();

    private void RequireSession(IBemsMethod method, InboundCall inbound)
    {
        if (method.RequiresSession && _connection.Session is null && Reconnection.Requested(inbound.Params))
            _reconnection?.Resume(_connection, new Params(inbound.Params, inbound.Method), inbound.Method);
        if (method.RequiresSession && _connection.Session is null)
            throw new BemsRpcException(ErrorCodes.SessionRequired, $"Call BeginSession before {inbound.Method}.", new ErrorData(inbound.Method));
    }

    private void Run(IBemsMethod method, InboundCall inbound)
    {
        _beforeInvoke?.Invoke(_connection, inbound);
        var reply = method.Invoke(new RpcCall(_connection, method, inbound.Id, inbound.Method, inbound.Params));
        reply.Effects.Release(); // whatever a service has not already released under its lock, response first
        _connection.Tenant.Metrics?.Request(method.Name, inbound.ReadAt);
        if (_logger.IsEnabled(LogLevel.Information))
            LogRpc(inbound, reply.Response is ResponseFrame { Data.State: { } state } ? state : Wire.Complete);
    }

    private void LogRpc(InboundCall inbound, string outcome)
    {
        var session = _connection.Session;
        LogRpc(_logger, inbound.Method, inbound.Id.ToString(), outcome, Stopwatch.GetElapsedTime(inbound.ReadAt).TotalMilliseconds,
            session?.Id ?? "-", session?.User.Key ?? "-", _connection.Tenant.Name);
    }

    private void LogRefused(InboundCall inbound, int code, string message)
    {
        _connection.Tenant.Metrics?.Refused(inbound.Method, inbound.ReadAt);
        if (!_logger.IsEnabled(LogLevel.Warning)) return;
        var session = _connection.Session;
        LogRpcFailed(_logger, inbound.Method, inbound.Id.ToString(), code, message,
            Stopwatch.GetElapsedTime(inbound.ReadAt).TotalMilliseconds, session?.Id ?? "-", session?.User.Key ?? "-", _connection.Tenant.Name);
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
