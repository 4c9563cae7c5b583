using BemsServer.Dispatch;
using BemsServer.Protocol;
using BemsServer.Protocol.Data;

namespace BemsServer.Features.Sessions;

/// <summary>Signs the connection in: API 2.3 with gdAuthToken, API 2.2 with userId + gdToken.</summary>
public sealed class BeginSession(Authenticator authenticator, ServerStats stats) : IBemsMethod
{
    public string Name => MethodNames.BeginSession;
    public bool? Background => false;
    public bool RequiresSession => false;

    public Reply Invoke(RpcCall call)
    {
        var connection = call.Connection;
        if (connection.Session is not null)
            throw new BemsRpcException(ErrorCodes.SessionAlreadyBegun,
                "This connection already has a session; call TerminateSession before signing in again.", new ErrorData(Name));

        var identity = authenticator.Authenticate(call.Params, Name);
        // Read now so that a mistyped optional parameter is refused before anything changes.
        var deviceToken = call.Params.OptionalString("deviceToken");
        _ = call.Params.OptionalString("presence");
        _ = call.Params.OptionalString("personalMessage");
        _ = call.Params.OptionalString("gnpToken");

        var tenant = call.Tenant;
        var user = tenant.Directory.GetOrAdd(identity.UserKey);
        var session = new Session(tenant.Sessions.NextSessionId(), user, deviceToken ?? connection.DeviceCookie,
            identity.ApiVersion, connection.Outbox, tenant.Time.GetUtcNow());
        connection.Session = session;
        tenant.Sessions.Register(session);
        stats.SessionStarted();

        call.Complete(new MethodData(Name));
        return call.Processing(new MethodData(Name));
    }
}
