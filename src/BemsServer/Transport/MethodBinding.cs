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
/// session, builds the <see cref="RpcCall"/>, and writes the request's one log line.
/// </summary>
public sealed partial class MethodBinding(MethodTable table, ClientConnection connection, ILogger logger)
{
    /// <summary>The name every request is dispatched under inside StreamJsonRpc; never seen on the wire.</summary>
    public const string DispatchName = "bems.dispatch";

    public static readonly MethodInfo InvokeMethod = typeof(MethodBinding).GetMethod(nameof(Invoke))!;

    public Reply Invoke(InboundCall inbound)
    {
        try
        {
            var reply = Dispatch(inbound);
            if (logger.IsEnabled(LogLevel.Information))
                LogRpc(inbound, reply.Response is ResponseFrame { Data.State: { } state } ? state : Wire.Complete);
            return reply;
        }
        catch (LocalRpcException ex) when (logger.IsEnabled(LogLevel.Warning))
        {
            LogRpcRefused(inbound, ex);
            throw;
        }
    }

    private Reply Dispatch(InboundCall inbound)
    {
        if (!table.ByName.TryGetValue(inbound.Method, out var method))
            throw new BemsRpcException(ErrorCodes.MethodNotFound,
                $"Method not found: '{inbound.Method}' is not a BEMS-Connect method this server implements.", new ErrorData(inbound.Method));
        if (method.RequiresSession && connection.Session is null && Reconnection.Requested(inbound.Params))
            table.Reconnection?.TryResume(connection, Reconnection.DeviceTokenOf(inbound.Params));
        if (method.RequiresSession && connection.Session is null)
            throw new BemsRpcException(ErrorCodes.SessionRequired, $"Call BeginSession before {inbound.Method}.", new ErrorData(inbound.Method));
        connection.Tenant.Control.Faults.BeforeInvoke(connection, inbound);
        return method.Invoke(new RpcCall(connection, method, inbound.Id, inbound.Method, inbound.Params));
    }

    public static void Register(JsonRpc rpc, MethodBinding binding) =>
        rpc.AddLocalRpcMethod(InvokeMethod, binding, new JsonRpcMethodAttribute(DispatchName));

    private void LogRpc(InboundCall inbound, string outcome)
    {
        var session = connection.Session;
        LogRpc(logger, inbound.Method, inbound.Id.ToString(), outcome, Stopwatch.GetElapsedTime(inbound.ReadAt).TotalMilliseconds,
            session?.Id ?? "-", session?.User.Key ?? "-", connection.Tenant.Name);
    }

    private void LogRpcRefused(InboundCall inbound, LocalRpcException error)
    {
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
