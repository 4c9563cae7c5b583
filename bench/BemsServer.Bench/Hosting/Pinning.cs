using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace BemsServer.Bench.Hosting;

/// <summary>
/// Keeps the load client and the servers off each other's cores: the client (this process) on the first half of the
/// CPUs, every server process (BemsServer and R1 alike) on the second half, started through <c>taskset</c> so the
/// runtime sizes its thread pool and GC heaps for the cores it has. On a 2-core machine: client on CPU 0, servers on
/// CPU 1. Off (<c>--no-pin</c>), or on a machine with one core, without taskset, or not Linux, nothing is pinned.
/// </summary>
internal sealed partial class Pinning
{
    private const string TaskSet = "/usr/bin/taskset";

    private Pinning(int clientCores, string clientCpus, string serverCpus) =>
        (ClientCores, ClientCpus, ServerCpus) = (clientCores, clientCpus, serverCpus);

    /// <summary>How many CPUs the client (this process) runs on.</summary>
    public int ClientCores { get; }

    public string ClientCpus { get; }

    /// <summary>The client's CPUs as an affinity mask (the first <see cref="ClientCores"/> CPUs).</summary>
    public ulong ClientMask => (1UL << ClientCores) - 1;

    /// <summary>The CPU list handed to <c>taskset -c</c> for server processes.</summary>
    public string ServerCpus { get; }

    public string Describe() => $"load client on CPU {ClientCpus}, servers (BemsServer and R1) on CPU {ServerCpus}";

    /// <summary>Pins this process to the client's CPUs and returns the pinning, or null when it does not apply.</summary>
    public static Pinning? Apply(bool wanted)
    {
        var cpus = Environment.ProcessorCount;
        if (!wanted || cpus < 2 || !OperatingSystem.IsLinux() || !File.Exists(TaskSet)) return null;
        var half = cpus / 2;
        var pinning = new Pinning(half, Range(0, half - 1), Range(half, cpus - 1));
        PinEveryThread(pinning.ClientMask);
        return pinning;
    }

    /// <summary>
    /// Sets the affinity of every thread the process has. <see cref="Process.ProcessorAffinity"/> sets only the main
    /// thread's (sched_setaffinity on the process id): the thread pool's workers, the socket engine's threads and the
    /// GC's threads made before it kept both halves, and one of the server GC's threads stayed pinned to the servers'
    /// CPU. Threads made later take their creator's affinity, so after this every thread of the client is on its CPUs.
    /// </summary>
    private static void PinEveryThread(ulong mask)
    {
        foreach (var task in Directory.GetDirectories("/proc/self/task"))
        {
            if (int.TryParse(Path.GetFileName(task), NumberStyles.None, CultureInfo.InvariantCulture, out var tid))
                _ = SetAffinity(tid, sizeof(ulong), ref mask); // a thread that ended meanwhile: nothing to pin
        }
    }

    /// <summary>sched_setaffinity of a thread or process (0 on success); also used for the kernel's threads (<see cref="KernelThreads"/>).</summary>
    [LibraryImport("libc", EntryPoint = "sched_setaffinity", SetLastError = true)]
    internal static partial int SetAffinity(int tid, nint size, ref ulong mask);

    /// <summary>sched_getaffinity of a thread or process (0 on success).</summary>
    [LibraryImport("libc", EntryPoint = "sched_getaffinity", SetLastError = true)]
    internal static partial int GetAffinity(int tid, nint size, ref ulong mask);

    /// <summary>Makes a server's start go through taskset (same process id: taskset execs the server).</summary>
    public void Wrap(ProcessStartInfo psi)
    {
        var arguments = psi.ArgumentList.ToArray();
        psi.ArgumentList.Clear();
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(ServerCpus);
        psi.ArgumentList.Add(psi.FileName);
        foreach (var argument in arguments) psi.ArgumentList.Add(argument);
        psi.FileName = TaskSet;
    }

    private static string Range(int from, int to) =>
        from == to ? from.ToString(CultureInfo.InvariantCulture) : string.Create(CultureInfo.InvariantCulture, $"{from}-{to}");
}
