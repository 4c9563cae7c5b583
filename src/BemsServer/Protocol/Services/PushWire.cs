namespace BemsServer.Protocol.Services;

/// <summary>
/// One record of a tenant's push log (<c>GET /admin/pushes</c>), whatever its source; members a source has no value for
/// are null (or 0).
/// </summary>
/// <param name="Time">When the push was made (server clock).</param>
/// <param name="UserId">The user it is for (<c>sip:</c> form), when known.</param>
/// <param name="SessionId">The Connect session (source <c>connect</c>).</param>
/// <param name="DeviceToken">The device (Connect's device token, or a presence request's device id).</param>
/// <param name="GnpToken">The GNP token it went to.</param>
/// <param name="Event">What caused it (<c>MessageReceived</c>, <c>PresenceChanged</c>, <c>Notify</c>, …).</param>
/// <param name="PushType">Connect's push type (source <c>connect</c>).</param>
/// <param name="Text">The push's text, as the live channel delivers it.</param>
/// <param name="Badge">Connect's badge (source <c>connect</c>).</param>
/// <param name="Source"><c>connect</c>, <c>presence</c> or <c>notify</c>.</param>
public sealed record PushEntry(
    DateTimeOffset Time, string? UserId, string? SessionId, string? DeviceToken, string? GnpToken, string Event, string? PushType,
    string Text, long Badge, string Source);
