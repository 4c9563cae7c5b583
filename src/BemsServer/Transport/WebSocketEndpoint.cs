using BemsServer.Tenancy;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace BemsServer.Transport;

/// <summary>What runs a client's WebSocket: the in-memory engine (<see cref="LocalEngine"/>) or cluster mode's. The composition chooses.</summary>
internal interface IWebSocketEngine
{
    /// <summary>A request on a WebSocket path of the default tenant (<paramref name="tenantName"/> null) or a named one: run it, or refuse it.</summary>
    Task AcceptAsync(HttpContext context, string? tenantName);

    /// <summary>The client sockets this node holds now (for tests that must act once a socket is in a given state).</summary>
    IEnumerable<ClientSocket> Sockets { get; }
}

/// <summary>
/// The WebSocket endpoints: <c>/</c> (and any configured extra path) for the default tenant, <c>/t/{tenant}/</c> (and
/// anything below it) for a named one. A handshake without a <c>deviceToken</c> cookie gets one (spec §1.4).
/// They are a middleware ahead of routing, not routed endpoints: routing builds every endpoint (about 80 admin
/// routes, ~0.5 s of start-up) on its first request, and a client's first sign-in should not wait for that.
/// </summary>
internal static class WebSocketEndpoint
{
    public const string DeviceTokenCookie = "deviceToken";
    private const string TenantPrefix = "/t/";

    /// <param name="passThrough">Paths below <c>/t/{tenant}</c> that are not Connect's (the BEMS services' routes): left to routing.</param>
    public static IApplicationBuilder UseBemsWebSockets(this IApplicationBuilder app, PathFilter? passThrough = null)
    {
        var engine = app.ApplicationServices.GetRequiredService<IWebSocketEngine>();
        var extraPaths = app.ApplicationServices.GetRequiredService<IOptions<TransportOptions>>().Value.Paths
            .Select(static p => p.TrimEnd('/')).ToHashSet(StringComparer.Ordinal);
        return app.Use((context, next) =>
        {
            var path = context.Request.Path.Value ?? "/";
            if (path == "/" || extraPaths.Contains(path.TrimEnd('/'))) return engine.AcceptAsync(context, tenantName: null);
            if (TenantName(path) is not { } name) return next(context);
            return passThrough is not null && passThrough(path.AsSpan(TenantPrefix.Length + name.Length)) ? next(context) : engine.AcceptAsync(context, name);
        });
    }

    /// <summary>Whether a path (below a tenant's prefix) belongs to someone else.</summary>
    internal delegate bool PathFilter(ReadOnlySpan<char> pathBelowTenant);

    /// <summary>The tenant a <c>/t/{tenant}/…</c> path names, or null for any other path.</summary>
    internal static string? TenantName(string path)
    {
        if (!path.StartsWith(TenantPrefix, StringComparison.Ordinal)) return null;
        var rest = path.AsSpan(TenantPrefix.Length);
        var slash = rest.IndexOf('/');
        return (slash < 0 ? rest : rest[..slash]).ToString();
    }

    internal static int StatusOf(TenantRefusal refusal) => refusal switch
    {
        TenantRefusal.NotAllowed => StatusCodes.Status403Forbidden,
        TenantRefusal.Full => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status404NotFound,
    };

    /// <summary>A refused WebSocket request: the status its refusal calls for and one line saying why.</summary>
    internal static Task RefuseAsync(HttpContext context, string description, TenantRefusal refusal)
    {
        context.Response.StatusCode = StatusOf(refusal);
        return context.Response.WriteAsync(description + "\n");
    }

    /// <summary>A plain HTTP request on a WebSocket path: 426, saying what to do instead.</summary>
    internal static async Task UpgradeRequiredAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status426UpgradeRequired;
        await context.Response.WriteAsync(
            "BemsServer: a BEMS-Connect emulator. Open a WebSocket here and send JSON-RPC requests, starting with BeginSession.\n");
    }

    /// <summary>The handshake's <c>deviceToken</c> cookie; one is set when the client sent none (spec §1.4).</summary>
    internal static string DeviceCookie(HttpContext context)
    {
        var deviceCookie = context.Request.Cookies[DeviceTokenCookie];
        if (string.IsNullOrEmpty(deviceCookie))
        {
            deviceCookie = Guid.NewGuid().ToString();
            context.Response.Cookies.Append(DeviceTokenCookie, deviceCookie, new CookieOptions { HttpOnly = true, Path = "/" });
        }
        return deviceCookie;
    }
}
