using BemsServer.Diagnostics;
using BemsServer.Dispatch;
using BemsServer.Features.Presence;
using BemsServer.Protocol;
using BemsServer.Protocol.Data;

namespace BemsServer.Features.Sessions;

/// <summary>Signs the connection in: API 2.3 with gdAuthToken, API 2.2 with userId + gdToken.</summary>
internal sealed class BeginSession(Authenticator authenticator, ServerStats stats, Reconnection reconnection) : IBemsMethod
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
        var presence = call.PresenceParam(required: false);
        var personalMessage = call.Params.OptionalString("personalMessage");
        var gnpToken = call.Params.OptionalString("gnpToken");

        var tenant = call.Tenant;
        if (Reconnection.Requested(call.Params.Element) && reconnection.TryResume(connection, deviceToken, identity.UserKey))
        {
            call.Complete(new MethodData(Name));
            return call.Processing(new MethodData(Name));
        }
        // A new session from a device supersedes the one it left waiting for a reconnect.
        if (tenant.Sessions.FindParked(deviceToken ?? connection.DeviceCookie, identity.UserKey) is { } parked)
            tenant.Sessions.Unregister(parked, call.Effects);

        var user = tenant.Directory.GetOrAdd(identity.UserKey);
        if (gnpToken is not null) tenant.Pushes.Tokens.Learn(gnpToken, user.Key); // a push to it is now a valid notify
        var session = new Session(tenant.Sessions.NextSessionId(), user, deviceToken ?? connection.DeviceCookie,
            identity.ApiVersion, connection.Outbox, tenant.Time.GetUtcNow()) { GnpToken = gnpToken, DeviceFromCookie = deviceToken is null };
        var begun = connection.TrySignIn(() =>
        {
            // Presence and personal message apply at once: watchers see them with the user coming online.
            tenant.Presence.Choose(user, presence, personalMessage);
            tenant.Sessions.Register(session, call.Effects);
            stats.SessionStarted();
            return session;
        });
        if (!begun)
            throw new BemsRpcException(ErrorCodes.SessionRequired, "The connection closed before the session began.", new ErrorData(Name));

        call.Complete(new MethodData(Name));
        return call.Processing(new MethodData(Name));
    }
}
