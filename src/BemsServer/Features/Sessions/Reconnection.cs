using System.Text.Json;
using BemsServer.Dispatch;

namespace BemsServer.Features.Sessions;

/// <summary>
/// The common parameter <c>reconnect</c>: a request on a connection without a session resumes the session its device left
/// in background mode (found by the <c>deviceToken</c> cookie of the new handshake, or the <c>deviceToken</c> parameter),
/// and the events that waited are delivered before the request's answer.
/// </summary>
public sealed class Reconnection(ServerStats stats)
{
    /// <summary><c>"reconnect":"true"</c> (the documented String), <c>true</c> or <c>"1"</c>.</summary>
    public static bool Requested(JsonElement parameters) =>
        parameters.ValueKind == JsonValueKind.Object && parameters.TryGetProperty("reconnect", out var value) && value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.String => value.GetString() is { } text && (bool.TryParse(text, out var flag) ? flag : text == "1"),
            _ => false,
        };

    public bool TryResume(ClientConnection connection, string? deviceToken, string? userKey = null)
    {
        if (connection.Session is not null) return false;
        var session = connection.Tenant.Sessions.FindParked(deviceToken ?? connection.DeviceCookie, userKey);
        if (session is null || !session.TryResume(connection.Outbox)) return false;
        connection.Session = session;
        stats.SessionStarted();
        return true;
    }

    public static string? DeviceTokenOf(JsonElement parameters) =>
        parameters.ValueKind == JsonValueKind.Object && parameters.TryGetProperty("deviceToken", out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
