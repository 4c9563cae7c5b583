using System.Globalization;

namespace BemsServer.Bench.Hosting;

/// <summary>
/// The server processes of one target in one round: one for R1 and the single BemsServer, two for the cluster
/// (<c>--nodes 2</c>). Senders connect to the first node, recipients to the last, idle sessions alternate between
/// the nodes; a sample is the sum over the processes. With one process everything is that process's own.
/// </summary>
internal sealed class ServerSet(TargetKind kind) : IDisposable
{
    private readonly List<ServerProcess> _processes = [];

    public TargetKind Kind { get; } = kind;

    public IReadOnlyList<ServerProcess> Processes => _processes;

    /// <summary>The first node: its silo is the cluster's primary, and the tenants of the load phases are placed on it.</summary>
    public ServerProcess First => _processes[0];

    public bool IsCluster => _processes.Count > 1;

    public void Add(ServerProcess process) => _processes.Add(process);

    /// <summary>Where the senders of a tenant connect (the first node).</summary>
    public Uri SenderUri(string tenant) => First.TenantUri(tenant);

    /// <summary>Where the recipients of a tenant connect (the last node; the first when there is one).</summary>
    public Uri RecipientUri(string tenant) => _processes[^1].TenantUri(tenant);

    /// <summary>Where the <paramref name="index"/>th idle session of a tenant connects: the nodes in turn.</summary>
    public Uri IdleUri(string tenant, int index) => _processes[index % _processes.Count].TenantUri(tenant);

    public bool HasExited => _processes.Any(p => p.HasExited);

    /// <summary>"pid 123, port 456" for each process.</summary>
    public string Describe() =>
        string.Join("; ", _processes.Select(p => string.Create(CultureInfo.InvariantCulture, $"pid {p.Process.Id}, port {p.Port}")));

    /// <summary>The last lines each process printed (for failure messages).</summary>
    public string RecentOutput()
    {
        if (!IsCluster)
        {
            return _processes.Count == 1 ? First.RecentOutput() : "";
        }

        return string.Join(
            Environment.NewLine,
            _processes.Select((p, i) => (Node: i + 1, Output: p.RecentOutput()))
                .Where(o => o.Output.Length > 0)
                .Select(o => $"node {o.Node}:{Environment.NewLine}{o.Output}"));
    }

    /// <summary>
    /// Process totals summed over the processes, sampled concurrently; the timestamp is the last sample's. A counter
    /// one process does not report is not reported for the set.
    /// </summary>
    public async Task<ProcessSample> SampleAsync()
    {
        if (!IsCluster)
        {
            return await First.SampleAsync();
        }

        var samples = await Task.WhenAll(_processes.Select(p => p.SampleAsync()));
        return new ProcessSample(
            samples.Max(s => s.Timestamp),
            samples.Sum(s => s.CpuMs),
            samples.Sum(s => s.WorkingSetBytes),
            Sum(samples, s => s.AllocatedBytes),
            Sum(samples, s => s.GcHeapBytes),
            Sum(samples, s => s.Sessions),
            Sum(samples, s => s.JitCompiledMethods),
            Sum(samples, s => s.Gen1Collections));
    }

    private static long? Sum(ProcessSample[] samples, Func<ProcessSample, long?> value) =>
        samples.All(s => value(s) is not null) ? samples.Sum(s => value(s)!.Value) : null;

    public void Dispose()
    {
        // The later nodes first, so none of them outlives the primary silo it joined.
        for (var i = _processes.Count - 1; i >= 0; i--)
        {
            _processes[i].Dispose();
        }
    }
}
