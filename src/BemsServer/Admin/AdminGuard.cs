using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace BemsServer.Admin;

/// <summary>
/// Guards everything under <c>/admin</c> (the API, the OpenAPI document, the reference page): without a configured
/// token only loopback clients are served; with <c>Bems:Admin:Token</c> every call must carry it as a bearer token.
/// When forwarded headers are honoured (<c>ASPNETCORE_FORWARDEDHEADERS_ENABLED=true</c>), the remote address is whatever
/// the client wrote in <c>X-Forwarded-For</c>, so it proves nothing: then the token is required, loopback or not.
/// </summary>
internal sealed class AdminGuard(RequestDelegate next, IOptions<AdminOptions> options, IConfiguration configuration)
{
    /// <summary>The configuration key behind <c>ASPNETCORE_FORWARDEDHEADERS_ENABLED</c> (ASP.NET Core's own switch).</summary>
    public const string ForwardedHeadersEnabledKey = "FORWARDEDHEADERS_ENABLED";

    private readonly byte[]? _token = string.IsNullOrEmpty(options.Value.Token) ? null : Encoding.UTF8.GetBytes(options.Value.Token);
    private readonly bool _forwardedHeaders = configuration.GetValue<bool>(ForwardedHeadersEnabledKey);

    public Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.Path.StartsWithSegments(AdminEndpoints.Prefix, StringComparison.OrdinalIgnoreCase)) return next(context);
        var refusal = Check(context, _token, _forwardedHeaders);
        return refusal is null ? next(context) : refusal.ExecuteAsync(context);
    }

    /// <summary>
    /// Null when the call may proceed; otherwise the answer that refuses it. <paramref name="forwardedHeaders"/>: the
    /// remote address may have been rewritten from a header. The forwarded-headers middleware also leaves
    /// <c>X-Original-For</c> on every request it rewrote, which catches an application that turned it on in code.
    /// </summary>
    public static IResult? Check(HttpContext context, byte[]? token, bool forwardedHeaders = false)
    {
        if (token is null)
        {
            if (forwardedHeaders || context.Request.Headers.ContainsKey(ForwardedHeadersDefaults.XOriginalForHeaderName))
                return TypedResults.Problem(
                    "Forwarded headers are honoured (ASPNETCORE_FORWARDEDHEADERS_ENABLED), so a client's address proves nothing: " +
                    "configure Bems:Admin:Token to use the admin API.", statusCode: StatusCodes.Status403Forbidden);
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
