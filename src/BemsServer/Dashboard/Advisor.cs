using System.Runtime.CompilerServices;
using BemsServer.Tenancy;

namespace BemsServer.Dashboard;

/// <summary>
/// The protocol mistakes of each tenant's clients. Nothing runs while nobody asks: a call reads the journal from where
/// the last one stopped (so it sees what the journal kept, <c>Bems:Journal:Capacity</c>), and adds the findings that
/// depend on time or on live connections (an unacknowledged message, a socket nobody reads).
/// </summary>
internal sealed class Advisor(TimeProvider time)
{
    /// <summary>How long a MessageReceived may wait for its MessageAck (server clock) while its connection is open.</summary>
    public static readonly TimeSpan AckGrace = TimeSpan.FromSeconds(30);

    /// <summary>Frames queued for a client past which it counts as not reading its socket.</summary>
    public const int UnreadFrames = 256;

    private readonly ConditionalWeakTable<Tenant, TenantAdvice> _tenants = [];

    public IReadOnlyList<Advice> For(Tenant tenant) => _tenants.GetValue(tenant, static _ => new TenantAdvice()).Read(tenant, time.GetUtcNow());
}
