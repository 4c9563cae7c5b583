using BemsServer.Hosting;
using BemsServer.Tenancy;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace BemsServer.Transport;

/// <summary>
/// The WebSocket endpoints: <c>/</c> (and any configured extra path) for the default tenant, <c>/t/{tenant}/</c> for a
/// named one. A handshake without a <c>deviceToken</c> cookie gets one (spec §1.4).
/// </summary>
public static class WebSocketEndpoint
{
    public const string DeviceTokenCookie = "deviceToken";

    public static IEndpointRouteBuilder MapBemsWebSockets(this IEndpointRouteBuilder app)
    {
        app.Map("/", (HttpContext context, TenantRegistry tenants, BemsConnection connection) =>
            AcceptAsync(context, tenants.Default, connection));
        app.Map("/t/{tenant}/{**rest}", (HttpContext context, string tenant, TenantRegistry tenants, BemsConnection connection) =>
            TenantRegistry.IsValidName(tenant)
                ? AcceptAsync(context, tenants.GetOrCreate(tenant), connection)
                : Results.NotFound($"'{tenant}' is not a tenant name (1-64 letters, digits, '-', '_' or '.').").ExecuteAsync(context));
        foreach (var path in app.ServiceProvider.GetRequiredService<IOptions<TransportOptions>>().Value.Paths)
            app.Map(path, (HttpContext context, TenantRegistry tenants, BemsConnection connection) =>
                AcceptAsync(context, tenants.Default, connection));
        return app;
    }

    private static async Task AcceptAsync(HttpContext context, Tenant tenant, BemsConnection connection)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status426UpgradeRequired;
            await context.Response.WriteAsync(
                "BemsServer: a BEMS-Connect emulator. Open a WebSocket here and send JSON-RPC requests, starting with BeginSession.\n");
            return;
        }
        var deviceCookie = context.Request.Cookies[DeviceTokenCookie];
        if (string.IsNullOrEmpty(deviceCookie))
        {
            deviceCookie = Guid.NewGuid().ToString();
            context.Response.Cookies.Append(DeviceTokenCookie, deviceCookie, new CookieOptions { HttpOnly = true, Path = "/" });
        }
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        await connection.RunAsync(socket, tenant, deviceCookie, context.RequestAborted);
    }
}
