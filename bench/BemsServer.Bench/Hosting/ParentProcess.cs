using System.Diagnostics;

namespace BemsServer.Bench.Hosting;

/// <summary>The bench's child processes (R1, the keep-awake spinner) end when the bench that started them is gone.</summary>
internal static class ParentProcess
{
    public static bool IsAlive(int pid)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
