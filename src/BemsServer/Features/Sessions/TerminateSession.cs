using BemsServer.Diagnostics;
using BemsServer.Dispatch;
using BemsServer.Protocol;
using BemsServer.Protocol.Data;

namespace BemsServer.Features.Sessions;

/// <summary>
/// Signs out. As documented, the immediate response already says COMPLETE, and a COMPLETE notification follows. The
/// socket stays open: the client may BeginSession again on it.
/// </summary>
internal sealed class TerminateSession(ServerStats stats) : IBemsMethod
{
    public string Name => MethodNames.TerminateSession;
    public bool? Background => false;

    public Reply Invoke(RpcCall call)
    {
        var session = call.Session;
        if (call.Connection.SignOut() == session) // else the connection's end took it and signs it out
        {
            call.Tenant.Sessions.Unregister(session, call.Effects);
            stats.SessionEnded();
        }

        call.Complete(new MethodData(Name));
        return call.Immediate(new MethodData(Name), Wire.Complete);
    }
}
