using System.Diagnostics;

namespace BemsServer.Bench.Hosting;

/// <summary>CPU totals of the server, the client and the whole machine at one moment.</summary>
internal readonly record struct Usage(ProcessSample Server, TimeSpan ClientCpu, MachineCpu Machine, long Timestamp)
{
    /// <summary>Opens a window: the server's sample (an HTTP round trip) first, then the local counters.</summary>
    public static async Task<Usage> StartAsync(ServerSet server)
    {
        var sample = await server.SampleAsync();
        return new Usage(sample, Environment.CpuUsage.TotalTime, MachineCpu.Read(), Stopwatch.GetTimestamp());
    }

    /// <summary>Closes a window: the local counters first, then the server's sample.</summary>
    public static async Task<Usage> EndAsync(ServerSet server)
    {
        var client = Environment.CpuUsage.TotalTime;
        var machine = MachineCpu.Read();
        var now = Stopwatch.GetTimestamp();
        return new Usage(await server.SampleAsync(), client, machine, now);
    }
}

/// <summary>What was used between two <see cref="Usage"/> readings; CPU % is of one core.</summary>
internal readonly record struct UsageWindow(Usage From, Usage To)
{
    /// <summary>Client-side length of the window.</summary>
    public double Seconds => (double)(To.Timestamp - From.Timestamp) / Stopwatch.Frequency;

    public double ServerCpuMs => To.Server.CpuMs - From.Server.CpuMs;

    /// <summary>Server CPU over the span between its two samples.</summary>
    public double ServerCpuPercent =>
        ServerCpuMs / ((double)(To.Server.Timestamp - From.Server.Timestamp) * 1000 / Stopwatch.Frequency) * 100;

    public double ClientCpuPercent => (To.ClientCpu - From.ClientCpu).TotalMilliseconds / (Seconds * 1000) * 100;

    public double MachineBusyPercent => MachineCpu.BusyPercent(From.Machine, To.Machine);

    public double MachineStealPercent => MachineCpu.StealPercent(From.Machine, To.Machine);

    /// <summary>Server CPU µs per message (NaN when none was counted).</summary>
    public double ServerCpuUsPer(long messages) => messages > 0 ? ServerCpuMs * 1000 / messages : double.NaN;

    public double ClientCpuUsPer(long messages) =>
        messages > 0 ? (To.ClientCpu - From.ClientCpu).TotalMicroseconds / messages : double.NaN;

    /// <summary>Server-allocated bytes per message, when the server reports its allocations.</summary>
    public double? AllocatedBytesPer(long messages) =>
        messages > 0 && To.Server.AllocatedBytes - From.Server.AllocatedBytes is { } bytes ? (double)bytes / messages : null;
}
