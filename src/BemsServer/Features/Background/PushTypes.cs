using System.Globalization;

namespace BemsServer.Features.Background;

/// <summary>
/// NotifyBackground's <c>pushType</c>: the documentation defines five numeric codes but types the field String, so both the
/// number (as a JSON number or string) and the name are accepted; the name is what the server keeps.
/// </summary>
internal static class PushTypes
{
    public const string Unknown = "Unknown";
    public const string None = "None";
    public const string Default = "Default";
    public const string Sender = "Sender";
    public const string SenderAndMessage = "SenderandMessage";

    private static readonly string[] ByCode = [Unknown, None, Default, Sender, SenderAndMessage];

    public static bool TryParse(string raw, out string pushType)
    {
        pushType = "";
        if (int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var code))
        {
            if (code >= ByCode.Length) return false;
            pushType = ByCode[code];
            return true;
        }
        var name = Array.Find(ByCode, n => string.Equals(n, raw, StringComparison.OrdinalIgnoreCase));
        if (name is null) return false;
        pushType = name;
        return true;
    }

    public static string Describe() => "0 Unknown, 1 None, 2 Default, 3 Sender, 4 SenderandMessage";
}
