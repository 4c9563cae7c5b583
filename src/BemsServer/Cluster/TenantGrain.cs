using Orleans.Concurrency;
using Orleans.Placement;

namespace BemsServer.Cluster;

/// <summary>
/// A tenant's place in the cluster. Placed on the node of the first connection that needs it, kept active while its node
/// lives (its state is in memory, as on one node), reentrant: it only hands each call to the <see cref="ClusterEngine"/>,
/// which serves every connection on its own one-at-a-time context, as the in-memory engine does.
/// </summary>
[Reentrant, KeepAlive, PreferLocalPlacement]
public sealed class TenantGrain(ClusterEngine engine) : Grain, ITenantGrain
{
    public Task<OpenAnswer> Open(string node, INodeObserver observer, string connection, string deviceCookie) =>
        Task.FromResult(engine.Open(this.GetPrimaryKeyString(), node, observer, connection, deviceCookie));

    public Task<bool> Dispatch(string node, string connection, InboundMessage[] messages) =>
        Task.FromResult(engine.Dispatch(node, connection, messages));

    public Task Closed(string node, string connection)
    {
        engine.Closed(node, connection);
        return Task.CompletedTask;
    }

    public Task<string> Locate() => Task.FromResult(engine.AdminUrl);

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        engine.Release(this.GetPrimaryKeyString());
        return base.OnDeactivateAsync(reason, cancellationToken);
    }
}
