using BemsServer.Dispatch;
using BemsServer.Protocol;
using BemsServer.Protocol.Data;

namespace BemsServer.Features.Sessions;

/// <summary>Replaces the session's auth token (API 2.3). Synchronous: the one response says COMPLETE; nothing follows.</summary>
public sealed class SetGDAuthToken(Authenticator authenticator) : IBemsMethod
{
    public string Name => MethodNames.SetGDAuthToken;

    public Reply Invoke(RpcCall call)
    {
        var session = call.Session;
        var token = call.Params.RequiredString("gdAuthToken");
        var owner = authenticator.Verify(token, claimedUser: null, Name);
        if (owner != session.User.Key)
            throw new BemsRpcException(ErrorCodes.IdentityMismatch,
                $"The new token belongs to {owner}, not to the session's user {session.User.Key}.", new ErrorData(Name, "gdAuthToken"));
        return call.Answer(new ResponseFrame(call.Id, new MethodData(Name) { State = Wire.Complete }, MethodCatalog.Background(Name)));
    }
}
