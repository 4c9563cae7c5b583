namespace BemsServer.Protocol.Services;

/// <summary>The HTTP headers of BEMS's services beside Connect (Directory Lookup, Presence, Contact, GNP), as the samples send them.</summary>
public static class ServiceHeaders
{
    /// <summary>The GD auth token every service request carries (the token a Connect client passes as <c>gdAuthToken</c>).</summary>
    public const string AuthToken = "X-Good-GD-AuthToken";

    /// <summary>The app's push token: on a presence request it makes the subscription's changes pushed; on a notify it names the target.</summary>
    public const string GnpToken = "X-Good-GNP-Token";

    /// <summary>The app-generated device id a presence request carries.</summary>
    public const string DeviceId = "X-Good-DeviceId";

    /// <summary>The presence API version a presence request may carry (<c>1.0.0</c>).</summary>
    public const string PresenceVersion = "X-Good-Presence-Version";

    /// <summary>The outcome of a GNP call: <c>100 OK</c> or <c>402 Invalid Token</c>.</summary>
    public const string GnpCode = "X-Good-GNP-Code";

    /// <summary>The outcome of <c>verifyGDAuthToken</c>: <c>100 OK</c> for a good token.</summary>
    public const string AuthResponseCode = "X-Good-GD-AuthResponseCode";

    /// <summary>The user a verified token names (ours: the samples do not show what else the answer carries).</summary>
    public const string AuthUserId = "X-Good-GD-UserId";
}

/// <summary>The services' paths (each also under <c>/t/{tenant}</c>).</summary>
public static class ServicePaths
{
    /// <summary>Directory Lookup.</summary>
    public const string LookupUser = "/api/lookupuser";

    /// <summary>Presence: POST subscribes, replaces or (with no contacts) unsubscribes.</summary>
    public const string PresenceSubscriptions = "/presence/subscriptions";

    /// <summary>Contact Service: search.</summary>
    public const string Contact = "/api/contact";

    /// <summary>Contact Service: create.</summary>
    public const string ContactCreate = "/api/contact/create";

    /// <summary>Contact Service: update.</summary>
    public const string ContactUpdate = "/api/contact/update";

    /// <summary>GNP: <c>?method=notify</c> and <c>?method=checkToken</c>.</summary>
    public const string Gnp = "/GNP1.0";

    /// <summary>Checks a client's GD auth token (an app server's call).</summary>
    public const string VerifyGDAuthToken = "/verifyGDAuthToken";

    /// <summary>The emulator's live push channel: a WebSocket with one text message per push to <c>?token=</c>.</summary>
    public const string PushChannel = "/gnp/channel";
}

/// <summary>The values of <see cref="ServiceHeaders.GnpCode"/> and <see cref="ServiceHeaders.AuthResponseCode"/>.</summary>
public static class ServiceCodes
{
    /// <summary>The call succeeded.</summary>
    public const string Ok = "100 OK";

    /// <summary>GNP: the token is not one the server knows.</summary>
    public const string InvalidToken = "402 Invalid Token";

    /// <summary>verifyGDAuthToken: the token is not one Connect would accept (ours: the public material shows only 100).</summary>
    public const string AuthFailed = "101 Authentication Failed";
}
