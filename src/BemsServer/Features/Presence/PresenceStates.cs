using System.Collections.Frozen;

namespace BemsServer.Features.Presence;

/// <summary>
/// The presence values the server accepts and the Lync-style <c>availability</c> code each reads as (the GetContactDetail
/// sample shows <c>"availability":"18500"</c>, Lync's Offline). The documentation names only available, busy and away; the
/// rest are Skype for Business states. One table, so that a real capture can correct it.
/// </summary>
internal static class PresenceStates
{
    public const string Available = "available";
    public const string Offline = "offline";

    private static readonly FrozenDictionary<string, string> Availability = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [Available] = "3500",
        ["busy"] = "6500",
        ["donotdisturb"] = "9500",
        ["berightback"] = "12500",
        ["away"] = "15500",
        [Offline] = "18500",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    public static IEnumerable<string> All => Availability.Keys;

    /// <summary>The canonical (lower-case) presence, or false for a value the server does not know.</summary>
    public static bool TryNormalize(string? raw, out string presence)
    {
        presence = "";
        if (raw is null || !Availability.ContainsKey(raw.Trim())) return false;
        presence = raw.Trim().ToLowerInvariant();
        return true;
    }

    public static string AvailabilityOf(string presence) => Availability.GetValueOrDefault(presence, Availability[Offline]);
}
