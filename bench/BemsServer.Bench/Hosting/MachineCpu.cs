using System.Globalization;

namespace BemsServer.Bench.Hosting;

/// <summary>
/// Whole-machine CPU from the first line of /proc/stat: how busy all cores were in a
/// window (client, server, kernel and anything else), and the time stolen by the hypervisor.
/// </summary>
internal readonly record struct MachineCpu(long Busy, long Steal, long Total)
{
    public static MachineCpu Read()
    {
        try
        {
            using var reader = new StreamReader("/proc/stat");
            var line = reader.ReadLine();
            if (line is null || !line.StartsWith("cpu ", StringComparison.Ordinal))
            {
                return default;
            }

            // user nice system idle iowait irq softirq steal guest guest_nice
            var f = line[4..].Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Select(s => long.Parse(s, NumberStyles.Integer, CultureInfo.InvariantCulture)).ToArray();
            if (f.Length < 8)
            {
                return default;
            }

            var idle = f[3] + f[4];
            var total = f[..8].Sum();
            return new MachineCpu(total - idle - f[7], f[7], total);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            return default;
        }
    }

    /// <summary>Busy share of all cores in the window, in % of one core (so 2 cores go up to 200).</summary>
    public static double BusyPercent(MachineCpu from, MachineCpu to) =>
        to.Total > from.Total ? (double)(to.Busy - from.Busy) / (to.Total - from.Total) * 100 * Environment.ProcessorCount : double.NaN;

    /// <summary>Stolen share in the window, in % of one core.</summary>
    public static double StealPercent(MachineCpu from, MachineCpu to) =>
        to.Total > from.Total ? (double)(to.Steal - from.Steal) / (to.Total - from.Total) * 100 * Environment.ProcessorCount : double.NaN;
}
