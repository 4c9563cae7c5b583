using System.Net;

namespace BemsServer.Client;

/// <summary>A BEMS service request (lookup, presence, contact) the server refused: the HTTP status and its problem body.</summary>
public sealed class BemsServiceException(HttpStatusCode status, string detail)
    : Exception($"The BEMS service answered {(int)status} {status}: {detail}")
{
    /// <summary>The HTTP status (400 bad input, 401 bad token, 403 another user's Account, 404 unknown subscription or contact, 409 a limit).</summary>
    public HttpStatusCode Status { get; } = status;

    /// <summary>The answer's body (an RFC 7807 problem document whose <c>detail</c> names what is wrong).</summary>
    public string Detail { get; } = detail;
}
