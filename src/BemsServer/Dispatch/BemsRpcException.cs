using BemsServer.Protocol.Data;

namespace BemsServer.Dispatch;

/// <summary>A request that the server refuses: answered as a JSON-RPC error with an explicit code, never a stack trace.</summary>
internal sealed class BemsRpcException : Exception
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

    /// <summary>The JSON-RPC error code the client is answered with.</summary>
    public int ErrorCode { get; }

    /// <summary>The method and parameter at fault, when known (<c>error.data</c>).</summary>
    public ErrorData? ErrorData { get; }
}
