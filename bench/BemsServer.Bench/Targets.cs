using System.Globalization;

namespace BemsServer.Bench;

/// <summary>One target of the full run: a row of report.md's summary and a flag in summary.json's targetsMet.</summary>
/// <param name="Value">The measured figure (median over the rounds, with its spread); null when not measured.</param>
internal sealed record Target(string Key, string Figure, Spread? Value, string Format, string Unit, string Goal, Func<double, bool> Meets)
{
    public bool? Met => Value is null ? null : Meets(Value.Median);
}

/// <summary>The targets of issue 9 (server cost, capacity, fair latency, idle memory, start-up, correctness).</summary>
internal static class Targets
{
    public static IReadOnlyList<Target> Evaluate(Options options, Figures f, int mismatches)
    {
        var pairs = options.LatencyPairs;
        var half = Percent(options.LoadFraction);
        var light = Percent(options.LightLoadFraction);
        return
        [
            new("serverCpuRatioAt100Pairs", $"server CPU per SendMessage ÷ R1 CPU per echo, {pairs} pairs (closed loop)",
                f.Ratio(f.ServerCpuUs), "F2", "", "≤ 2.0", v => v <= 2.0),
            new("serverCpuRatioAtLightLoad", $"server CPU per SendMessage ÷ R1 CPU per echo, both at {light} of BemsServer's capacity",
                f.Ratio(r => f.LightLoad(r)?.ServerCpuUsPerMessage), "F2", "", "≤ 2.0", v => v <= 2.0),
            new("capacityRatio", $"capacity at {pairs} pairs ÷ R1",
                f.Ratio(f.Capacity), "F2", "", "≥ 0.5", v => v >= 0.5),
            new("p99DeliveredRatio", $"p99 send→delivered at {half} of BemsServer's capacity ÷ R1's p99 at that same rate",
                f.Ratio(r => f.HalfLoad(r)?.SendToDelivered.P99Ms), "F2", "", "≤ 3", v => v <= 3),
            new("idleSession", $"idle signed-in session at {f.IdleSessionCount?.ToString(CultureInfo.InvariantCulture) ?? "–"}",
                f.Bems(f.IdleKiB), "F1", " KiB", "≤ 20 KiB", v => v <= 20),
            new("startupRatio", "start-up ÷ R1 start-up",
                f.Ratio(Figures.Startup), "F2", "", "≤ 2.0", v => v <= 2.0),
            new("mismatches", "mismatches (phases with mismatched counts, errors or failures)",
                Spread.Of([mismatches]), "F0", "", "0", v => v == 0),
        ];
    }

    public static string Percent(double fraction) => fraction.ToString("P0", CultureInfo.InvariantCulture);
}
