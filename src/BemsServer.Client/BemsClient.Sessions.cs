using System.Text.Json.Nodes;
using BemsServer.Protocol;

namespace BemsServer.Client;

/// <summary>BeginSession's optional parameters.</summary>
/// <param name="Presence">The presence to start with (<c>available</c>, <c>busy</c>, …).</param>
/// <param name="PersonalMessage">The personal message to start with.</param>
/// <param name="DeviceToken">The device, when not the handshake's cookie.</param>
/// <param name="GnpToken">The push token.</param>
/// <param name="Reconnect">Resume this user's parked session of this device instead of beginning a new one.</param>
public sealed record BeginSessionOptions(string? Presence = null, string? PersonalMessage = null, string? DeviceToken = null,
    string? GnpToken = null, bool Reconnect = false);

public sealed partial class BemsClient
{
    /// <summary>BeginSession (API 2.3): in the emulator's open mode the token names the user (<c>alice@example.com</c>).</summary>
    public Task BeginSessionAsync(string gdAuthToken, BeginSessionOptions? options = null, CancellationToken cancellationToken = default) =>
        CallAsync(MethodNames.BeginSession, WithSessionOptions(Params(("gdAuthToken", gdAuthToken)), options), cancellationToken);

    /// <summary>BeginSession (API 2.2): <c>userId</c> and <c>gdToken</c>.</summary>
    public Task BeginSessionAsync(string userId, string gdToken, BeginSessionOptions? options = null, CancellationToken cancellationToken = default) =>
        CallAsync(MethodNames.BeginSession, WithSessionOptions(Params(("userId", userId), ("gdToken", gdToken)), options), cancellationToken);

    /// <summary>TerminateSession: signs out; the socket stays open for another BeginSession.</summary>
    public Task TerminateSessionAsync(CancellationToken cancellationToken = default) =>
        CallAsync(MethodNames.TerminateSession, null, cancellationToken);

    /// <summary>Ping: returns the session timeout in seconds.</summary>
    public async Task<int> PingAsync(CancellationToken cancellationToken = default) =>
        (await CallAsync(MethodNames.Ping, Params(), BemsJsonContext.Default.PingData, cancellationToken).ConfigureAwait(false)).SessionTimeout;

    /// <summary>
    /// Resumes the parked background session of this device on this new connection (a Ping with <c>reconnect</c>): the
    /// events that waited arrive before the Ping's answer. The request proves the identity with the session's credential
    /// (<paramref name="gdAuthToken"/>, as BeginSession): a device token alone resumes nothing. Throws
    /// <see cref="BemsRpcException"/> -32001 for a refused credential, -32000 when nothing of that user waits on this device.
    /// </summary>
    public Task ResumeAsync(string gdAuthToken, string? deviceToken = null, CancellationToken cancellationToken = default) =>
        CallAsync(MethodNames.Ping, Params(("reconnect", "true"), ("gdAuthToken", gdAuthToken), ("deviceToken", deviceToken)), cancellationToken);

    /// <summary>SetGDAuthToken: refreshes the session's token (answered at once).</summary>
    public Task SetGDAuthTokenAsync(string gdAuthToken, CancellationToken cancellationToken = default) =>
        CallAsync(MethodNames.SetGDAuthToken, Params(("gdAuthToken", gdAuthToken)), cancellationToken);

    /// <summary>SetGDToken: refreshes an API 2.2 token (answered at once).</summary>
    public Task SetGDTokenAsync(string gdToken, CancellationToken cancellationToken = default) =>
        CallAsync(MethodNames.SetGDToken, Params(("gdToken", gdToken)), cancellationToken);

    /// <summary>
    /// NotifyBackground: enters or leaves background mode. In background mode a dropped connection parks the session for
    /// <see cref="ResumeAsync"/>, and events are recorded as pushes.
    /// </summary>
    public Task NotifyBackgroundAsync(bool isBackgroundMode, int? unreadMessageCount = null, string? pushType = null, int? pushMaxLength = null,
        CancellationToken cancellationToken = default) =>
        CallAsync(MethodNames.NotifyBackground, Params(("isBackgroundMode", isBackgroundMode), ("unreadMessageCount", unreadMessageCount),
            ("pushType", pushType), ("pushMaxLength", pushMaxLength)), cancellationToken);

    private static JsonObject WithSessionOptions(JsonObject parameters, BeginSessionOptions? options)
    {
        if (options is null) return parameters;
        if (options.Presence is { } presence) parameters["presence"] = presence;
        if (options.PersonalMessage is { } message) parameters["personalMessage"] = message;
        if (options.DeviceToken is { } device) parameters["deviceToken"] = device;
        if (options.GnpToken is { } gnp) parameters["gnpToken"] = gnp;
        if (options.Reconnect) parameters["reconnect"] = "true";
        return parameters;
    }
}
