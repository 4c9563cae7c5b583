using BemsServer.Protocol;
using Microsoft.Extensions.Logging;
using StreamJsonRpc;
using StreamJsonRpc.Protocol;

namespace BemsServer.Transport;

/// <summary>
/// StreamJsonRpc's dispatcher with one BEMS rule: an unexpected exception becomes a plain -32603 (never a stack trace on
/// the wire). Responses and effects are queued by <see cref="MethodBinding"/>, in dispatch order.
/// </summary>
public sealed partial class BemsJsonRpc(IJsonRpcMessageHandler handler, ILogger logger) : JsonRpc(handler)
{
    protected override JsonRpcError.ErrorDetail CreateErrorDetails(JsonRpcRequest request, Exception exception)
    {
        if (exception is LocalRpcException) return base.CreateErrorDetails(request, exception);
        LogHandlerFailed(logger, request.Method ?? "", exception);
        return new JsonRpcError.ErrorDetail
        {
            Code = (JsonRpcErrorCode)ErrorCodes.InternalError,
            Message = $"Internal error while handling {request.Method}; the server log has the details.",
        };
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Handler for {Method} failed")]
    private static partial void LogHandlerFailed(ILogger logger, string method, Exception exception);
}
