using BemsServer.Protocol.Data;
using StreamJsonRpc;

namespace BemsServer.Dispatch;

/// <summary>A request that the server refuses: answered as a JSON-RPC error with an explicit code, never a stack trace.</summary>
public sealed class BemsRpcException : LocalRpcException
{
    public BemsRpcException(int code, string message, ErrorData? data = null)
        : base(message)
    {
        ErrorCode = code;
        ErrorData = data;
    }

    public BemsRpcException()
    {
    }

    public BemsRpcException(string message)
        : base(message)
    {
    }

    public BemsRpcException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
