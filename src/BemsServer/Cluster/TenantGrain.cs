using Orleans.Concurrency;
using Orleans.Placement;

namespace BemsServer.Cluster;

/// <summary>
/// A tenant's place in the cluster. Placed on the node of the first connection that needs it, kept active while its node
/// lives (its state is in memory, as on one node), reentrant: it only hands each call to the <see cref="ClusterEngine"/>,
/// which serves every connection on its own one-at-a-time context, as the in-memory engine does.
/// </summary>
[Reentrant, KeepAlive, PreferLocalPlacement]
internal sealed partial class TenantGrain(ClusterEngine engine, ILogger<TenantGrain> logger) : Grain, ITenantGrain
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

    public Task Receipts(string node, long[] written, long[] dropped)
    {
        engine.Receipts(node, written, dropped);
        return Task.CompletedTask;
    }

    public Task<string> Locate() => Task.FromResult(engine.AdminUrl);

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        LogDeactivated(logger, this.GetPrimaryKeyString(), reason.ReasonCode, reason.Description);
        // Orleans deactivates a grain whose directory entry was kept by a node that died. The tenant's state is in this
        // node's engine, not in the activation: it stays, and the next call re-activates the grain here (the nodes send
        // their calls with this node as the placement hint, see ClusterEdge). Any other end releases the tenant.
        if (reason.ReasonCode != DeactivationReasonCode.DirectoryFailure) engine.Release(this.GetPrimaryKeyString());
        return base.OnDeactivateAsync(reason, cancellationToken);
    }

    [LoggerMessage(EventId = 507, Level = LogLevel.Information, Message = "Tenant {Tenant}'s grain deactivates on this node ({ReasonCode}: {Reason})")]
    private static partial void LogDeactivated(ILogger logger, string tenant, DeactivationReasonCode reasonCode, string reason);
}
