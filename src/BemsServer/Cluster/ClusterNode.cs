using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace BemsServer.Cluster;

/// <summary>
/// This node's Orleans silo, started with the server. The silo runs in a host of its own inside the process: Orleans
/// keeps its own clock (the emulator's virtual clock moves only the emulator) and its own services; it shares the
/// server's logging and the <see cref="ClusterEngine"/>. It watches the membership: a node declared dead has its
/// connections ended here, and connections of this node served by the dead node are closed so their clients reconnect.
/// </summary>
internal sealed partial class ClusterNode(
    IOptions<ClusterOptions> options, ClusterEngine engine, ClusterEdge edge, ILoggerFactory loggers, IServer server,
    IHostApplicationLifetime lifetime) : IHostedService, IAsyncDisposable
{
    private readonly ILogger _logger = loggers.CreateLogger<ClusterNode>();
    private readonly CancellationTokenSource _stopping = new();
    private IHost? _silo;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddSingleton(loggers);
        builder.Services.AddSingleton(engine);
        builder.UseOrleans(silo =>
        {
            if (o.Membership == ClusterMembership.Localhost)
            {
                var primary = string.IsNullOrEmpty(o.PrimarySiloEndpoint) ? null : IPEndPoint.Parse(o.PrimarySiloEndpoint);
                silo.UseLocalhostClustering(o.SiloPort, o.GatewayPort, primary, serviceId: o.ClusterId, clusterId: o.ClusterId);
            }
            else
            {
                silo.UseRedisClustering(r => r.ConfigurationOptions = StackExchange.Redis.ConfigurationOptions.Parse(o.Redis!));
                silo.Configure<Orleans.Configuration.ClusterOptions>(c => (c.ClusterId, c.ServiceId) = (o.ClusterId, o.ClusterId));
                if (string.IsNullOrEmpty(o.AdvertisedAddress)) silo.ConfigureEndpoints(o.SiloPort, o.GatewayPort, listenOnAnyHostAddress: true);
                else silo.ConfigureEndpoints(IPAddress.Parse(o.AdvertisedAddress), o.SiloPort, o.GatewayPort, listenOnAnyHostAddress: true);
            }
            // The strongly consistent directory: a tenant's grain has one activation even while nodes join or leave (the
            // default directory may place it on two nodes until their views of the membership agree, which splits the
            // tenant's in-memory state), and a node that dies does not take the directory entries it kept with it.
#pragma warning disable ORLEANSEXP003 // experimental in Orleans 10; see docs/scaling.md
            silo.AddDistributedGrainDirectory();
#pragma warning restore ORLEANSEXP003
            // A node that stops says so at once; one that crashes is declared dead after two missed probes of two seconds
            // (Orleans's defaults take about half a minute; a load test's client would time out first). See docs/scaling.md.
            silo.Configure<ClusterMembershipOptions>(m =>
            {
                m.ProbeTimeout = TimeSpan.FromSeconds(2);
                m.NumMissedProbesLimit = 2;
                m.NumVotesForDeathDeclaration = 1;
            });
        });
        _silo = builder.Build();
        await _silo.StartAsync(cancellationToken);
        var node = _silo.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress.ToParsableString();
        engine.LocalNode = node;
        edge.Start(_silo.Services.GetRequiredService<IGrainFactory>(), node, o.SiloPort);
        lifetime.ApplicationStarted.Register(() => engine.AdminUrl = o.AdminUrl is { Length: > 0 } url ? url.TrimEnd('/') : ListeningUrl());
        _ = WatchMembershipAsync(_silo.Services.GetRequiredService<IClusterMembershipService>(), node, _stopping.Token);
        LogJoined(_logger, node, o.ClusterId, o.Membership);
    }

    private string ListeningUrl()
    {
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses
            .FirstOrDefault(static a => a.StartsWith("http://", StringComparison.Ordinal)) ?? "http://127.0.0.1:8080";
        var uri = new Uri(address.Replace("://+", "://127.0.0.1", StringComparison.Ordinal).Replace("://*", "://127.0.0.1", StringComparison.Ordinal));
        var host = uri.Host is "0.0.0.0" or "[::]" or "::" ? "127.0.0.1" : uri.Host;
        return $"{uri.Scheme}://{host}:{uri.Port}";
    }

    private async Task WatchMembershipAsync(IClusterMembershipService membership, string self, CancellationToken cancellationToken)
    {
        var gone = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(cancellationToken))
                foreach (var member in snapshot.Members.Values)
                {
                    if (member.Status != SiloStatus.Dead) continue;
                    var node = member.SiloAddress.ToParsableString();
                    if (node == self || !gone.Add(node)) continue;
                    engine.NodeLeft(node);
                    edge.NodeLeft(node);
                }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        if (_silo is not null) await _silo.StopAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        _stopping.Dispose();
        if (_silo is IAsyncDisposable disposable) await disposable.DisposeAsync();
        else _silo?.Dispose();
    }

    [LoggerMessage(EventId = 506, Level = LogLevel.Information, Message = "Cluster node {Node} joined cluster {ClusterId} ({Membership} membership)")]
    private static partial void LogJoined(ILogger logger, string node, string clusterId, ClusterMembership membership);
}
