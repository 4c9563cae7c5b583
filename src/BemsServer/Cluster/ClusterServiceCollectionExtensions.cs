namespace BemsServer.Cluster;

/// <summary>Composition of cluster mode; nothing of it is registered, or loaded, on a single node.</summary>
internal static class ClusterServiceCollectionExtensions
{
    public static IServiceCollection AddBemsCluster(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ClusterOptions>().BindConfiguration(ClusterOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        if (configuration.GetValue<ClusterMode>($"{ClusterOptions.SectionName}:{nameof(ClusterOptions.Mode)}") == ClusterMode.Orleans) AddOrleansEngine(services);
        return services;
    }

    /// <summary>Apart, so that a single node never compiles it, nor loads Orleans's assemblies its types name.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void AddOrleansEngine(IServiceCollection services)
    {
        services.AddSingleton<ClusterEngine>();
        services.AddSingleton<ClusterEdge>();
        services.AddSingleton<Transport.IWebSocketEngine>(sp => sp.GetRequiredService<ClusterEdge>()); // instead of the in-memory engine
        services.AddHostedService<ClusterNode>();
    }

    /// <summary>Admin requests for a tenant held by another node go there (cluster mode only).</summary>
    public static IApplicationBuilder UseBemsClusterAdmin(this IApplicationBuilder app) =>
        app.ApplicationServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<ClusterOptions>>().Value.Mode == ClusterMode.Orleans
            ? app.UseMiddleware<AdminForwarding>()
            : app;
}
