using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace BemsServer.Admin;

/// <summary>
/// Guards everything under <c>/admin</c> (the API, the OpenAPI document, the reference page): without a configured
/// token only loopback clients are served; with <c>Bems:Admin:Token</c> every call must carry it as a bearer token.
/// </summary>
public sealed class AdminGuard(RequestDelegate next, IOptions<AdminOptions> options)
{
    private readonly byte[]? _token = string.IsNullOrEmpty(options.Value.Token) ? null : Encoding.UTF8.GetBytes(options.Value.Token);

    public Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.Path.StartsWithSegments(AdminEndpoints.Prefix, StringComparison.OrdinalIgnoreCase)) return next(context);
        var refusal = Check(context, _token);
        return refusal is null ? next(context) : refusal.ExecuteAsync(context);
    }

    /// <summary>Null when the call may proceed; otherwise the answer that refuses it.</summary>
    public static IResult? Check(HttpContext context, byte[]? token)
    {
        if (token is null)
        {
            var remote = context.Connection.RemoteIpAddress;
            return remote is null || IPAddress.IsLoopback(remote)
                ? null
                : TypedResults.Problem("The admin API is served to loopback clients only (configure Bems:Admin:Token to open it).",
                    statusCode: StatusCodes.Status403Forbidden);
        }
        var header = context.Request.Headers.Authorization.ToString();
        const string Scheme = "Bearer ";
        var presented = header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) ? Encoding.UTF8.GetBytes(header[Scheme.Length..].Trim()) : [];
        return CryptographicOperations.FixedTimeEquals(presented, token)
            ? null
            : TypedResults.Problem("The admin API needs 'Authorization: Bearer {Bems:Admin:Token}'.", statusCode: StatusCodes.Status401Unauthorized);
    }
}
