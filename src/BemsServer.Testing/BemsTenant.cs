using System.Globalization;
using BemsServer.Protocol.Admin;

namespace BemsServer.Testing;

/// <summary>
/// One tenant of a running emulator: where clients connect (<see cref="WebSocketUri"/>) and its control plane, each
/// method one route of the admin API (docs/admin-api.md), with the server's own request and answer types.
/// </summary>
public sealed partial class BemsTenant
{
    private readonly AdminHttp _admin;
    private readonly string _prefix;

    internal BemsTenant(AdminHttp admin, Uri baseAddress, string? name)
    {
        _admin = admin;
        Name = name ?? "default";
        var path = name is null ? "" : $"t/{name}/";
        WebSocketUri = new Uri($"ws://{baseAddress.Authority}/{path}");
        ServicesUri = new Uri($"http://{baseAddress.Authority}/{path}");
        _prefix = name is null ? "admin/" : $"admin/t/{Uri.EscapeDataString(name)}/";
    }

    /// <summary>The tenant's name (<c>default</c> for the default tenant).</summary>
    public string Name { get; }

    /// <summary>Where this tenant's clients connect: <c>ws://127.0.0.1:{port}/t/{name}/</c>.</summary>
    public Uri WebSocketUri { get; }

    /// <summary>
    /// The first frame matching the filter, already journaled or still to come (<c>GET journal/wait</c>). Throws
    /// <see cref="TimeoutException"/> when none comes within <paramref name="timeout"/> (default 10 s, wall clock).
    /// </summary>
    public Task<JournalFrame> WaitForFrameAsync(JournalFilter filter, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        _admin.GetAsync<JournalFrame>(Path("journal/wait", filter,
            ("timeout", (timeout ?? TimeSpan.FromSeconds(10)).TotalSeconds.ToString(CultureInfo.InvariantCulture))), cancellationToken);

    /// <summary>The journaled frames matching the filter (<c>GET journal</c>), at most <paramref name="limit"/>.</summary>
    public Task<JournalFrames> GetJournalAsync(JournalFilter? filter = null, int? limit = null, CancellationToken cancellationToken = default) =>
        _admin.GetAsync<JournalFrames>(Path("journal", filter ?? new JournalFilter(), ("limit", limit?.ToString(CultureInfo.InvariantCulture))),
            cancellationToken);

    /// <summary>Empties the journal.</summary>
    public Task ClearJournalAsync(CancellationToken cancellationToken = default) => _admin.SendAsync(HttpMethod.Delete, _prefix + "journal", null, cancellationToken);

    /// <summary>Adds a fault rule; the answer carries its id and counters.</summary>
    public Task<FaultRuleView> AddFaultAsync(FaultSpec rule, CancellationToken cancellationToken = default) =>
        _admin.PostAsync<FaultRuleView>(_prefix + "faults", rule, cancellationToken);

    /// <summary>The fault rules with their counters (matching calls seen, calls fired on).</summary>
    public Task<List<FaultRuleView>> GetFaultsAsync(CancellationToken cancellationToken = default) =>
        _admin.GetAsync<List<FaultRuleView>>(_prefix + "faults", cancellationToken);

    /// <summary>Removes one fault rule.</summary>
    public Task RemoveFaultAsync(string id, CancellationToken cancellationToken = default) =>
        _admin.SendAsync(HttpMethod.Delete, _prefix + "faults/" + Uri.EscapeDataString(id), null, cancellationToken);

    /// <summary>Removes every fault rule.</summary>
    public Task ClearFaultsAsync(CancellationToken cancellationToken = default) => _admin.SendAsync(HttpMethod.Delete, _prefix + "faults", null, cancellationToken);

    /// <summary>
    /// Resets the tenant: everything (connections close with 1012, state back to the seed), or with
    /// <paramref name="trafficOnly"/> the journal, chats, push records and fault rules.
    /// </summary>
    public Task ResetAsync(bool trafficOnly = false, CancellationToken cancellationToken = default) =>
        _admin.SendAsync(HttpMethod.Post, _prefix + "reset" + (trafficOnly ? "?scope=traffic" : ""), null, cancellationToken);

    /// <summary>The tenant's users, fault rules and scenarios (and, for inspection, its chats).</summary>
    public Task<Snapshot> GetSnapshotAsync(CancellationToken cancellationToken = default) => _admin.GetAsync<Snapshot>(_prefix + "snapshot", cancellationToken);

    /// <summary>Replaces users, fault rules and scenarios with a snapshot's; clears the traffic, keeps connections.</summary>
    public Task ImportSnapshotAsync(Snapshot snapshot, CancellationToken cancellationToken = default) =>
        _admin.SendAsync(HttpMethod.Post, _prefix + "snapshot", snapshot, cancellationToken);

    /// <summary>Deletes the tenant (its connections close with 1012).</summary>
    public Task DeleteAsync(CancellationToken cancellationToken = default) =>
        _admin.SendAsync(HttpMethod.Delete, "admin/tenants/" + Uri.EscapeDataString(Name), null, cancellationToken);

    private string Path(string route, JournalFilter filter, params (string Name, string? Value)[] extra)
    {
        (string, string?)[] query =
        [
            ("direction", filter.Direction), ("kind", filter.Kind), ("method", filter.Method), ("user", filter.User), ("session", filter.Session),
            ("connection", filter.Connection), ("id", filter.Id), ("answers", filter.Answers),
            ("after", filter.After > 0 ? filter.After.ToString(CultureInfo.InvariantCulture) : null),
            ("since", filter.Since?.ToString("o", CultureInfo.InvariantCulture)), ("until", filter.Until?.ToString("o", CultureInfo.InvariantCulture)),
            ("contains", filter.Contains), .. extra,
        ];
        var pairs = query.Where(q => q.Item2 is not null).Select(q => $"{q.Item1}={Uri.EscapeDataString(q.Item2!)}");
        return _prefix + route + "?" + string.Join("&", pairs);
    }
}
