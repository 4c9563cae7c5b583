using System.Text.Json;

namespace BemsServer.Protocol;

/// <summary>
/// Finds JSON strings that cannot become .NET strings: an escaped lone UTF-16 surrogate (<c>"\ud800"</c>) is valid JSON,
/// but System.Text.Json refuses to read it (<see cref="InvalidOperationException"/>). Checked once when a message is
/// read, so that no handler ever meets such a string and every one is answered as bad input naming where it was.
/// (Raw bytes that are not UTF-8 never get this far: the WebSocket layer closes the connection with 1007.)
/// </summary>
internal static class UnicodeCheck
{
    /// <summary>Only a message with an escape can hold an escaped surrogate; the walk is skipped for all others.</summary>
    public static bool MayHoldEscapes(ReadOnlySpan<byte> utf8) => utf8.IndexOf("\\u"u8) >= 0;

    /// <summary>Reads the string, or null when it holds a lone surrogate.</summary>
    public static bool TryGetString(JsonElement element, out string? text)
    {
        try
        {
            text = element.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            text = null;
            return false;
        }
    }

    /// <summary><see cref="JsonElement.ValueEquals(ReadOnlySpan{byte})"/>, false for a string that is not text.</summary>
    public static bool ValueEquals(JsonElement element, ReadOnlySpan<byte> utf8)
    {
        try
        {
            return element.ValueEquals(utf8);
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>The first top-level member of <paramref name="parameters"/> whose name or value holds a lone surrogate, or null.</summary>
    public static string? FirstInvalidMember(JsonElement parameters)
    {
        foreach (var member in parameters.EnumerateObject())
        {
            string name;
            try
            {
                name = member.Name;
            }
            catch (InvalidOperationException)
            {
                return "(a parameter name with a lone surrogate escape)";
            }
            if (!IsValid(member.Value)) return name;
        }
        return null;
    }

    private static bool IsValid(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return TryGetString(element, out _);
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                    if (!IsValid(item)) return false;
                return true;
            case JsonValueKind.Object:
                foreach (var member in element.EnumerateObject())
                {
                    try
                    {
                        _ = member.Name;
                    }
                    catch (InvalidOperationException)
                    {
                        return false;
                    }
                    if (!IsValid(member.Value)) return false;
                }
                return true;
            default:
                return true;
        }
    }
}
