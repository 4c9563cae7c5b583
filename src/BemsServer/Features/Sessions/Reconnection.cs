using System.Text.Json;
using BemsServer.Diagnostics;
using BemsServer.Dispatch;
using BemsServer.Protocol;
using BemsServer.Protocol.Data;

namespace BemsServer.Features.Sessions;

/// <summary>
/// The common parameter <c>reconnect</c>: a request on a connection without a session resumes the session its device left
/// in background mode, and the events that waited are delivered before the request's answer. Resuming proves the identity
/// as BeginSession does (the request carries the session's credential: <c>gdAuthToken</c>, or <c>userId</c> with
/// <c>gdToken</c>), and names the device: the <c>deviceToken</c> cookie of the new handshake, or, for a session whose
/// BeginSession gave a <c>deviceToken</c> parameter, that parameter. Knowing a device token alone resumes nothing.
/// </summary>
internal sealed class Reconnection(ServerStats stats, Authenticator authenticator)
{
    /// <summary><c>"reconnect":"true"</c> (the documented String), <c>true</c> or <c>"1"</c>.</summary>
    public static bool Requested(JsonElement parameters) =>
        parameters.ValueKind == JsonValueKind.Object && parameters.TryGetProperty("reconnect", out var value) && value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.String => value.GetString() is { } text && (bool.TryParse(text, out var flag) ? flag : text == "1"),
            _ => false,
        };

    /// <summary>
    /// Resumes the parked session of the request's user and device on <paramref name="connection"/>, or refuses: no
    /// credential or an invalid one (-32001), nothing of that user waiting on that device (-32000). The checks of the
    /// credential come first, so a refusal says nothing about other users' sessions.
    /// </summary>
    public void Resume(ClientConnection connection, Params parameters, string method)
    {
        if (!parameters.Has("gdAuthToken") && !(parameters.Has("userId") && parameters.Has("gdToken")))
            throw new BemsRpcException(ErrorCodes.AuthenticationFailed,
                $"A request with reconnect resumes a session only with the credential it was opened with: add gdAuthToken (API 2.3), or userId with gdToken (API 2.2), to the params of {method}.",
                new ErrorData(method, "gdAuthToken"));
        var identity = authenticator.Authenticate(parameters, method);
        if (!TryResume(connection, parameters.OptionalString("deviceToken"), identity.UserKey))
            throw new BemsRpcException(ErrorCodes.SessionRequired,
                $"Nothing to resume: this user has no session waiting for a reconnect from this device (the deviceToken cookie of this connection, or the deviceToken its BeginSession gave). Call BeginSession before {method}.",
                new ErrorData(method));
    }

    /// <summary>Resumes the parked session of an authenticated user from this device; false when there is none.</summary>
    public bool TryResume(ClientConnection connection, string? deviceToken, string userKey)
    {
        if (connection.Session is not null) return false;
        var session = connection.Tenant.Sessions.FindParked(userKey, connection.DeviceCookie, deviceToken);
        if (session is null) return false;
        if (!connection.TrySignIn(() => session.TryResume(connection.Outbox) ? session : null)) return false;
        stats.SessionStarted();
        return true;
    }
}
