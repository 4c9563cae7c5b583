using System.Reflection;
using BemsServer.Dispatch;
using BemsServer.Protocol;
using Microsoft.Extensions.Logging;
using StreamJsonRpc;
using StreamJsonRpc.Protocol;

namespace BemsServer.Transport;

/// <summary>
/// StreamJsonRpc's side of a connection: every request reaches the connection's <see cref="Dispatcher"/> under one
/// internal name (a per-connection table of every BEMS name was the largest part of an idle session's memory), one
/// at a time in arrival order on the given synchronization context. One BEMS rule on top: an unexpected exception
/// becomes a plain -32603, never a stack trace on the wire. The dispatcher queues responses and effects itself, so
/// StreamJsonRpc's own result is never written.
/// </summary>
public sealed partial class BemsJsonRpc : JsonRpc
{
    /// <summary>The name every request is dispatched under inside StreamJsonRpc; never seen on the wire.</summary>
    public const string DispatchName = "bems.dispatch";

    /// <summary>StreamJsonRpc's own tracing, off and shared (by default each JsonRpc formats every dropped connection's stack trace).</summary>
    private static readonly System.Diagnostics.TraceSource SilentTrace = new("BemsServer.JsonRpc", System.Diagnostics.SourceLevels.Off);

    private static readonly MethodInfo DispatchMethod = typeof(Dispatcher).GetMethod(nameof(Dispatcher.Dispatch))!;

    /// <summary>What a client is told when the server failed on its request (the log has the exception).</summary>
    public const string InternalErrorMessage = "Internal error: the server could not handle this request; the server log has the details.";

    private readonly ILogger _logger;

    public BemsJsonRpc(IJsonRpcMessageHandler handler, Dispatcher dispatcher, SynchronizationContext context, ILogger logger) : base(handler)
    {
        _logger = logger;
        SynchronizationContext = context;
        TraceSource = SilentTrace;
        AddLocalRpcMethod(DispatchMethod, dispatcher, new JsonRpcMethodAttribute(DispatchName));
        Disconnected += (_, _) => dispatcher.Abandon(); // a wait for dependencies ends with its connection
    }

    protected override JsonRpcError.ErrorDetail CreateErrorDetails(JsonRpcRequest request, Exception exception)
    {
        if (exception is LocalRpcException) return base.CreateErrorDetails(request, exception);
        LogHandlerFailed(_logger, request.Method ?? "", exception);
        return new JsonRpcError.ErrorDetail
        {
            Code = (JsonRpcErrorCode)ErrorCodes.InternalError,
            Message = InternalErrorMessage,
        };
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Handler for {Method} failed")]
    private static partial void LogHandlerFailed(ILogger logger, string method, Exception exception);
}
