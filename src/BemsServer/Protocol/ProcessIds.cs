using System.Globalization;

namespace BemsServer.Protocol;

/// <summary>
/// The one source of ids the server makes up for itself (connections, the admin API's injected messages, the BEMS
/// services' HTTP calls): one counter per process, so no two ids of any scheme share a number. Per-connection numbering
/// on the wire (sequences, server ids) is <see cref="WireCounters"/>'s.
/// </summary>
internal static class ProcessIds
{
    private static long s_last;

    /// <summary>The prefix followed by the next number, e.g. <c>conn-12</c>.</summary>
    public static string Next(string prefix) => prefix + Interlocked.Increment(ref s_last).ToString(CultureInfo.InvariantCulture);
}
