using BemsServer.Dispatch;
using BemsServer.Protocol;
using BemsServer.Protocol.Data;

namespace BemsServer.Features.Sessions;

/// <summary>Replaces the session's auth token (API 2.3). Synchronous: the one response says COMPLETE; nothing follows.</summary>
internal sealed class SetGDAuthToken(Authenticator authenticator) : IBemsMethod
{
    public string Name => MethodNames.SetGDAuthToken;
    public bool? Background => null;

    public Reply Invoke(RpcCall call)
    {
        var session = call.Session;
        var token = call.Params.RequiredString("gdAuthToken");
        var owner = authenticator.Verify(token, claimedUser: null, Name);
        if (owner != session.User.Key)
            throw new BemsRpcException(ErrorCodes.IdentityMismatch,
                $"The new token belongs to {owner}, not to the session's user {session.User.Key}.", new ErrorData(Name, "gdAuthToken"));
        return call.Immediate(new MethodData(Name), Wire.Complete);
    }
}
