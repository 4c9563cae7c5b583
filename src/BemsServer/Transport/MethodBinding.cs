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
/// get its -32601); this picks the handler, refuses calls that need a session, and builds the <see cref="RpcCall"/>.
/// </summary>
public sealed class MethodBinding(MethodTable table, ClientConnection connection)
{
    public static readonly MethodInfo InvokeMethod = typeof(MethodBinding).GetMethod(nameof(Invoke))!;

    public Reply Invoke(InboundCall inbound)
    {
        var method = table.ByName[inbound.Method];
        if (method.RequiresSession && connection.Session is null && Reconnection.Requested(inbound.Params))
            table.Reconnection?.TryResume(connection, Reconnection.DeviceTokenOf(inbound.Params));
        if (method.RequiresSession && connection.Session is null)
            throw new BemsRpcException(ErrorCodes.SessionRequired, $"Call BeginSession before {inbound.Method}.", new ErrorData(inbound.Method));
        connection.Tenant.Control.Faults.BeforeInvoke(connection, inbound);
        return method.Invoke(new RpcCall(connection, method, inbound.Id, inbound.Method, inbound.Params));
    }

    public static void Register(JsonRpc rpc, MethodTable table, MethodBinding binding)
    {
        foreach (var name in table.ByName.Keys)
            rpc.AddLocalRpcMethod(InvokeMethod, binding, new JsonRpcMethodAttribute(name));
    }
}
