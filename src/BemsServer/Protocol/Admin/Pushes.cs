namespace BemsServer.Protocol.Admin;

/// <summary>
/// A push notification the server would have handed to the BlackBerry Dynamics NOC (and on to APNS/FCM) for a session in
/// background mode. Kept per tenant for the admin API, and logged.
/// </summary>
public sealed record PushRecord(
    DateTimeOffset Time, string UserId, string SessionId, string DeviceToken, string? GnpToken, string Event, string PushType,
    string Text, long Badge);
