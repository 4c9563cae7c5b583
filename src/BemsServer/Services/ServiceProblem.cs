namespace BemsServer.Services;

/// <summary>A service request refused: the HTTP status and the words of its problem body (RFC 7807), which name what is wrong.</summary>
internal sealed class ServiceProblem(int status, string detail) : Exception(detail)
{
    public int Status { get; } = status;

    public static ServiceProblem BadRequest(string detail) => new(StatusCodes.Status400BadRequest, detail);
}
