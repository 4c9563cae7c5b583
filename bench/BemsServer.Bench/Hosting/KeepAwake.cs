using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace BemsServer.Bench.Hosting;

/// <summary>
/// Keeps the load client's cores from halting while an open loop runs. On a virtual machine without a cpuidle driver an
/// idle CPU halts, which hands it back to the hypervisor, and the timer of the client's next send then fires only when
/// the hypervisor runs that CPU again: at light load, where the client idles between sends, a few sends a minute left
/// more than a millisecond late and made the phase invalid (docs/performance.md, eleventh round). A separate process
/// (the bench's own dll with <c>--keep-awake</c>) spins on each of the client's cores at idle priority (SCHED_IDLE), so
/// it runs only when nothing else wants the core: it takes no time from the client, and its CPU is not counted as the
/// client's. It is stopped (SIGSTOP) outside the open loops and ends with the bench; it never runs on the servers' cores.
/// </summary>
internal sealed partial class KeepAwake : IDisposable
{
    private const int SigStop = 19, SigCont = 18;

    private static KeepAwake? s_live;
    private readonly Process _process;

    private KeepAwake(Process process, Pinning pinning)
    {
        _process = process;
        Description = $"during the open loops a spinner at idle priority kept CPU {pinning.ClientCpus} from halting (--no-keep-awake to measure without)";
    }

    /// <summary>Where the spinner ran: for the report's header.</summary>
    public string Description { get; }

    /// <summary>Ends the spinner if there is one: the bench's exits and signals call it, as they kill the servers.</summary>
    public static void KillLive() => Volatile.Read(ref s_live)?.Dispose();

    /// <summary>Starts the spinner, stopped, on this process's CPUs (the client's, once pinned); null when not pinned or not wanted.</summary>
    public static KeepAwake? Start(Pinning? pinning, Locations locations, bool wanted)
    {
        if (!wanted || pinning is null) return null;
        var psi = new ProcessStartInfo(locations.DotnetHost) { UseShellExecute = false, WorkingDirectory = AppContext.BaseDirectory };
        psi.ArgumentList.Add(locations.BenchDll);
        psi.ArgumentList.Add("--keep-awake");
        psi.ArgumentList.Add("--parent-pid");
        psi.ArgumentList.Add(Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        var process = Process.Start(psi) ?? throw new InvalidOperationException("Could not start the keep-awake spinner.");
        var awake = new KeepAwake(process, pinning);
        awake.Pause();
        Volatile.Write(ref s_live, awake);
        return awake;
    }

    public void Resume() => _ = Kill(_process.Id, SigCont);

    public void Pause() => _ = Kill(_process.Id, SigStop);

    public void Dispose()
    {
        try
        {
            _process.Kill();
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
    }

    /// <summary>The spinner process: one thread per CPU it may run on, each at idle priority, until the bench is gone.</summary>
    public static int Run(int? parentPid)
    {
        for (var i = 0; i < Environment.ProcessorCount; i++)
        {
            new Thread(Spin) { IsBackground = true, Name = "keep-awake" }.Start();
        }

        while (parentPid is not { } pid || ParentProcess.IsAlive(pid))
        {
            Thread.Sleep(1000);
        }

        return 0;
    }

    private static void Spin()
    {
        if (!ThreadPolicy.Set(ThreadPolicy.Idle)) return; // without idle priority it would compete
        while (true)
        {
            Thread.SpinWait(1000);
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
