using BemsServer.Admin;
using BemsServer.Tenancy;
using Microsoft.AspNetCore.Http;

namespace BemsServer.Cluster;

/// <summary>
/// Cluster mode: a tenant's admin routes are answered by the node that holds the tenant, whichever node is asked. A
/// request for a tenant held elsewhere is forwarded to that node's HTTP address as it came (method, path, query, body,
/// authorization), and its answer returned as it is; so are <c>POST</c> and <c>DELETE /admin/tenants/{name}</c>, so a
/// tenant configured for strict mode is created where its grain lives. Process-wide routes (<c>/admin/process</c>, the
/// list <c>/admin/tenants</c>, <c>/admin/clock</c>, the reference) answer for the node asked.
/// </summary>
internal sealed class AdminForwarding(RequestDelegate next, ClusterEdge edge, ClusterEngine engine)
{
    /// <summary>Set on a forwarded request: the node receiving it answers itself.</summary>
    public const string ForwardedHeader = "X-Bems-Forwarded";

    private static readonly HashSet<string> NodeRoutes = new(["", "process", "tenants", "clock", "openapi"], StringComparer.Ordinal);
    private static readonly HttpClient Http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
    {
        Timeout = Timeout.InfiniteTimeSpan, // the journal's wait route holds a request open; the caller's abort ends it
    };

    public async Task InvokeAsync(HttpContext context)
    {
        if (TenantOf(context.Request.Path) is not { } tenant || context.Request.Headers.ContainsKey(ForwardedHeader))
        {
            await next(context);
            return;
        }
        edge.Hint(tenant);
        var holder = await edge.Grains.GetGrain<ITenantGrain>(tenant).Locate().WaitAsync(context.RequestAborted);
        if (holder.Length == 0 || holder == engine.AdminUrl)
        {
            await next(context);
            return;
        }
        await ForwardAsync(context, holder);
    }

    /// <summary>The tenant an admin path is about, or null for a process-wide route or a path outside the admin API.</summary>
    internal static string? TenantOf(PathString path)
    {
        if (!path.StartsWithSegments(AdminEndpoints.Prefix, out var rest)) return null;
        var segments = (rest.Value ?? "").Split('/', 4, StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length >= 2 && segments[0] is "t" or "tenants") return segments[1]; // a tenant's routes, its creation and deletion
        return segments.Length == 0 || NodeRoutes.Contains(segments[0]) ? null : TenantRegistry.DefaultName;
    }

    private static async Task ForwardAsync(HttpContext context, string holder)
    {
        var request = context.Request;
        using var forwarded = new HttpRequestMessage(new HttpMethod(request.Method),
            new Uri(holder + request.PathBase + request.Path + request.QueryString));
        if (request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            forwarded.Content = new StreamContent(request.Body);
            if (request.ContentType is { } type) forwarded.Content.Headers.TryAddWithoutValidation("Content-Type", type);
        }
        if (request.Headers.Authorization.Count > 0) forwarded.Headers.TryAddWithoutValidation("Authorization", request.Headers.Authorization.ToString());
        if (request.Headers.Accept.Count > 0) forwarded.Headers.TryAddWithoutValidation("Accept", request.Headers.Accept.ToString());
        forwarded.Headers.TryAddWithoutValidation(ForwardedHeader, "1");
        using var answer = await Http.SendAsync(forwarded, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
        context.Response.StatusCode = (int)answer.StatusCode;
        foreach (var (name, values) in answer.Content.Headers) context.Response.Headers[name] = values.ToArray();
        foreach (var (name, values) in answer.Headers)
            if (!name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)) context.Response.Headers[name] = values.ToArray();
        await answer.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
    }
}
