using BemsServer.Tenancy;
using BemsServer.Transport;

namespace BemsServer.Cluster;

/// <summary>The WebSocket paths in cluster mode: the same paths as on one node, accepted through the tenant's grain.</summary>
internal static class ClusterWebSockets
{
    public static IApplicationBuilder Use(IApplicationBuilder app, HashSet<string> extraPaths)
    {
        var edge = app.ApplicationServices.GetRequiredService<ClusterEdge>();
        var tenants = app.ApplicationServices.GetRequiredService<TenantRegistry>();
        return app.Use((context, next) =>
        {
            var path = context.Request.Path.Value ?? "/";
            if (path == "/" || extraPaths.Contains(path.TrimEnd('/'))) return edge.AcceptAsync(context, TenantRegistry.DefaultName);
            if (WebSocketEndpoint.TenantName(path) is not { } name) return next(context);
            // Names refused whatever the tenant's node holds are refused here, before any grain exists for them.
            var refusal = !TenantRegistry.IsValidName(name) ? TenantRefusal.InvalidName
                : TenantRegistry.IsReserved(name) ? TenantRefusal.Reserved : TenantRefusal.None;
            if (refusal != TenantRefusal.None)
            {
                context.Response.StatusCode = WebSocketEndpoint.StatusOf(refusal);
                return context.Response.WriteAsync(tenants.Describe(refusal, name) + "\n");
            }
            return edge.AcceptAsync(context, name);
        });
    }
}
