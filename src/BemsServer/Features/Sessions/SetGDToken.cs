using BemsServer.Dispatch;
using BemsServer.Protocol;
using BemsServer.Protocol.Data;

namespace BemsServer.Features.Sessions;

/// <summary>Sets the legacy token (API 2.2). Answers in the documented odd shape; the sample's key SetGDToken is accepted too.</summary>
internal sealed class SetGDToken(Authenticator authenticator) : IBemsMethod
{
    public string Name => MethodNames.SetGDToken;
    public bool? Background => null;

    public Reply Invoke(RpcCall call)
    {
        var session = call.Session;
        var token = call.Params.RequiredString("gdToken");
        authenticator.Verify(token, session.User.Key, Name);
        return call.Answer(new LegacyStatusFrame(call.Id, Name, new LegacyStatus("success")));
    }
}
