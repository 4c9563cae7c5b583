using System.Globalization;

namespace BemsServer.Bench.Hosting;

/// <summary>
/// Keeps the servers' CPUs for the servers: for the run, the kernel's own threads that may run on any CPU (children of
/// <c>kthreadd</c> whose affinity is every CPU, and that accept a new one) are moved to the client's CPUs, and moved back
/// when the run ends. On the 2-core machine the kernel's memory monitor (<c>kdamond</c>) woke every 0.51 s and ran
/// 1.8–2.0 ms (at times 4 ms) on whichever core was idle: the servers' core during
/// BemsServer's half-load phase (its core idle 40 % of the time), the client's during R1's (whose workers spin, so its
/// core is never idle). Those 2 ms on BemsServer's core set its p99 at half load (docs/performance.md, "Fourteenth
/// round"). Threads bound to one CPU (per-CPU workers) refuse the move and stay. Needs the right to set another
/// process's affinity (root, or <c>CAP_SYS_NICE</c>); without it nothing moves, and the run says so.
/// </summary>
internal sealed class KernelThreads : IDisposable
{
    private const int KThreadd = 2;
    private readonly List<(int Pid, ulong Mask)> _moved;

    private KernelThreads(List<(int Pid, ulong Mask)> moved, string description) => (_moved, Description) = (moved, description);

    /// <summary>What was moved, for the log and the report's header.</summary>
    public string Description { get; }

    /// <summary>Moves the movable kernel threads to <paramref name="pinning"/>'s client CPUs; null when not pinned or off.</summary>
    public static KernelThreads? Isolate(Pinning? pinning, bool wanted)
    {
        if (pinning is null || !wanted || Environment.ProcessorCount > 64) return null;
        var all = Environment.ProcessorCount == 64 ? ulong.MaxValue : (1UL << Environment.ProcessorCount) - 1;
        var moved = new List<(int Pid, ulong Mask)>();
        var names = new List<string>();
        foreach (var (pid, name) in Children(KThreadd))
        {
            var mask = 0UL;
            if (Pinning.GetAffinity(pid, sizeof(ulong), ref mask) != 0 || mask != all) continue; // gone, or bound to some CPUs
            var target = pinning.ClientMask;
            if (Pinning.SetAffinity(pid, sizeof(ulong), ref target) != 0) continue; // refused: a per-CPU or workqueue thread
            moved.Add((pid, mask));
            names.Add(name);
        }

        var description = moved.Count == 0
            ? "no kernel thread moved off the servers' CPUs (none movable, or no right to move them)"
            : $"{moved.Count} kernel threads that may run anywhere moved to the client's CPUs for the run ({string.Join(", ", names.Where(Notable).Distinct().DefaultIfEmpty("none of kdamond, kcompactd, khugepaged, ksmd"))}, …)";
        return new KernelThreads(moved, description);
    }

    /// <summary>Moves every thread back to the CPUs it had.</summary>
    public void Dispose()
    {
        foreach (var (pid, mask) in _moved)
        {
            var original = mask;
            _ = Pinning.SetAffinity(pid, sizeof(ulong), ref original); // one that ended meanwhile has nothing to restore
        }

        _moved.Clear();
    }

    private static bool Notable(string name) =>
        name.StartsWith("kdamond", StringComparison.Ordinal) || name.StartsWith("kcompactd", StringComparison.Ordinal)
        || name is "khugepaged" or "ksmd";

    /// <summary>The processes whose parent is <paramref name="parent"/>, with their names (from /proc).</summary>
    private static IEnumerable<(int Pid, string Name)> Children(int parent)
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) continue;
            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(dir, "stat"));
            }
            catch (IOException)
            {
                continue; // ended meanwhile
            }

            // "pid (comm) state ppid …": the name may hold spaces and parentheses, so read after the last ')'.
            var close = stat.LastIndexOf(')');
            var fields = stat[(close + 2)..].Split(' ');
            if (fields.Length > 1 && int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ppid) && ppid == parent)
                yield return (pid, stat[(stat.IndexOf('(') + 1)..close]);
        }
    }
}
