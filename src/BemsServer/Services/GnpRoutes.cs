using BemsServer.Features.Background;
using BemsServer.Features.Directory;
using BemsServer.Protocol.Services;

namespace BemsServer.Services;

/// <summary>
/// The GNP side an app server calls: <c>POST /GNP1.0?method=notify</c> pushes the text body to the token's app,
/// <c>GET /GNP1.0?method=checkToken</c> says whether the token is known (both answer 200, the outcome in
/// <c>X-Good-GNP-Code</c>: <c>100 OK</c> or <c>402 Invalid Token</c>), and <c>GET /verifyGDAuthToken</c> checks a
/// client's GD auth token as Connect would (<c>X-Good-GD-AuthResponseCode: 100 OK</c> and the user, or 401).
/// </summary>
internal static class GnpRoutes
{
    /// <summary>The largest notify body accepted (ours: the public material gives no limit).</summary>
    public const int MaxMessageBytes = 4096;

    public static void Map(IEndpointRouteBuilder group)
    {
        group.MapPost(ServicePaths.Gnp, NotifyAsync)
            .Produces(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .WithSummary("GNP notify (?method=notify): pushes the text body to X-Good-GNP-Token; X-Good-GNP-Code says 100 OK or 402 Invalid Token.");
        group.MapGet(ServicePaths.Gnp, CheckToken)
            .Produces(StatusCodes.Status200OK)
            .WithSummary("GNP checkToken (?method=checkToken): X-Good-GNP-Code says whether X-Good-GNP-Token is known.");
        group.MapGet(ServicePaths.VerifyGDAuthToken, Verify)
            .Produces(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .WithSummary("Checks X-Good-GD-AuthToken as Connect would: X-Good-GD-AuthResponseCode 100 OK and X-Good-GD-UserId, or 401.");
    }

    private static async Task<IResult> NotifyAsync(HttpContext context, string? method, CancellationToken cancellationToken)
    {
        Expect(method, "notify");
        var tenant = ServiceGate.TenantOf(context);
        var token = TokenOf(context);
        var text = BodyBytes.Text(context.Request, await BodyBytes.ReadAsync(context.Request, MaxMessageBytes, cancellationToken));
        if (!tenant.Pushes.Tokens.IsKnown(token)) return Code(context, ServiceCodes.InvalidToken);
        var owner = tenant.Pushes.Tokens.OwnerOf(token);
        tenant.Pushes.Record(new PushRecord(tenant.Time.GetUtcNow(), owner is null ? null : ContactAddress.ToUri(owner), null, null, token,
            "Notify", "", text, 0, PushSources.Notify));
        return Code(context, ServiceCodes.Ok);
    }

    private static IResult CheckToken(HttpContext context, string? method)
    {
        Expect(method, "checkToken");
        var tenant = ServiceGate.TenantOf(context);
        return Code(context, tenant.Pushes.Tokens.IsKnown(TokenOf(context)) ? ServiceCodes.Ok : ServiceCodes.InvalidToken);
    }

    private static IResult Verify(HttpContext context, ServiceGate gate)
    {
        var token = context.Request.Headers[ServiceHeaders.AuthToken].ToString();
        if (string.IsNullOrWhiteSpace(token))
            throw ServiceProblem.BadRequest($"The request lacks the {ServiceHeaders.AuthToken} header.");
        try
        {
            var user = gate.UserOf(token, "verifyGDAuthToken");
            context.Response.Headers[ServiceHeaders.AuthResponseCode] = ServiceCodes.Ok;
            context.Response.Headers[ServiceHeaders.AuthUserId] = user;
            return TypedResults.Text(ServiceCodes.Ok + "\n", "text/plain; charset=utf-8");
        }
        catch (ServiceProblem)
        {
            context.Response.Headers[ServiceHeaders.AuthResponseCode] = ServiceCodes.AuthFailed;
            throw;
        }
    }

    private static void Expect(string? method, string expected)
    {
        if (!string.Equals(method, expected, StringComparison.Ordinal))
            throw ServiceProblem.BadRequest(method is null
                ? $"The query lacks method={expected}."
                : $"method '{method}' is not served here; this route takes method={expected}.");
    }

    private static string TokenOf(HttpContext context)
    {
        var token = context.Request.Headers[ServiceHeaders.GnpToken].ToString();
        return PushTokens.IsWellFormed(token) ? token
            : throw ServiceProblem.BadRequest($"The request lacks a usable {ServiceHeaders.GnpToken} header (1-512 characters, no control characters).");
    }

    private static IResult Code(HttpContext context, string code)
    {
        context.Response.Headers[ServiceHeaders.GnpCode] = code;
        return TypedResults.Text(code + "\n", "text/plain; charset=utf-8");
    }
}
