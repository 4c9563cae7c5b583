using System.Runtime.InteropServices;

namespace BemsServer.Bench.Hosting;

/// <summary>
/// The calling thread's scheduling policy (Linux): real-time FIFO for the open loop's sender while a schedule runs, the
/// normal policy after it, idle for the keep-awake spinner.
/// </summary>
internal static partial class ThreadPolicy
{
    public const int Normal = 0, Fifo = 1, Idle = 5;

    /// <summary>Sets the calling thread's policy; false when refused (FIFO needs root or CAP_SYS_NICE).</summary>
    public static bool Set(int policy, int priority = 0) => SchedSetScheduler(GetTid(), policy, ref priority) == 0;

    [LibraryImport("libc", EntryPoint = "gettid")]
    private static partial int GetTid();

    [LibraryImport("libc", EntryPoint = "sched_setscheduler")]
    private static partial int SchedSetScheduler(int pid, int policy, ref int param);
}
