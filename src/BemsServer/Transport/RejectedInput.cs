using System.Reflection;
using BemsServer.Dispatch;
using BemsServer.Protocol;
using Microsoft.Extensions.Logging;
using StreamJsonRpc;
using StreamJsonRpc.Protocol;

namespace BemsServer.Transport;

/// <summary>
/// Answers bad input (malformed JSON, wrong shape, binary, empty or oversized messages). The message handler does not
/// answer it itself: it hands it to StreamJsonRpc as a notification for this target, so that the error is queued by the
/// connection's one-at-a-time dispatch, behind the answers to the requests that arrived before it. (Answered at once
/// on the read loop, an id-less -32700 overtook the answer to the Ping before it, and a client can match an id-less
/// error only by its position.)
/// </summary>
public sealed partial class RejectedInput(ClientConnection connection, ILogger logger)
{
    /// <summary>The name a rejection is dispatched under inside StreamJsonRpc; never seen on the wire.</summary>
    public const string DispatchName = "bems.reject";

    private static readonly MethodInfo InvokeMethod = typeof(RejectedInput).GetMethod(nameof(Invoke))!;

    public static void Register(JsonRpc rpc, RejectedInput target) =>
        rpc.AddLocalRpcMethod(InvokeMethod, target, new JsonRpcMethodAttribute(DispatchName));

    /// <summary>The notification StreamJsonRpc dispatches for a rejected message (it writes no answer of its own).</summary>
    public static JsonRpcRequest Request(InboundRequest rejected) => new()
    {
        RequestId = RequestId.NotSpecified,
        Method = DispatchName,
        ArgumentsList = [rejected],
    };

    public void Invoke(InboundRequest request)
    {
        connection.Tenant.Metrics?.Refused(request.Method ?? "", System.Diagnostics.Stopwatch.GetTimestamp());
        LogRejected(logger, connection.Id, connection.Session?.User.Key ?? "-", connection.Tenant.Name, request.ErrorCode, request.Error!);
        connection.Outbox.Deliver(new ErrorFrame(request.Id, request.ErrorCode, request.Error!, request.Data));
    }

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning,
        Message = "Rejected a message on connection {ConnectionId} (user {UserId}, tenant {Tenant}): {ErrorCode} {Reason}")]
    private static partial void LogRejected(ILogger logger, string connectionId, string userId, string tenant, int errorCode, string reason);
}
