using BemsServer.Dispatch;
using BemsServer.Protocol;
using BemsServer.Protocol.Data;
using Microsoft.Extensions.Options;

namespace BemsServer.Features.Sessions;

/// <summary>Keep-alive: reports the session timeout in seconds in both the response and the completion.</summary>
internal sealed class Ping(IOptions<BemsSessionOptions> options) : IBemsMethod
{
    public string Name => MethodNames.Ping;
    public bool? Background => false;

    public Reply Invoke(RpcCall call)
    {
        _ = call.Session;
        var data = new PingData(options.Value.TimeoutSeconds);
        call.Complete(data);
        return call.Processing(data);
    }
}
