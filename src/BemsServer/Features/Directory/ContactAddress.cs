using System.Diagnostics.CodeAnalysis;

namespace BemsServer.Features.Directory;

/// <summary>
/// Contact ids come as <c>sip:alice@example.com</c> or bare <c>alice@example.com</c>; both name the same user. The key is the
/// bare, lower-case address; the wire form the server emits is always the <c>sip:</c> URI.
/// </summary>
internal static class ContactAddress
{
    private const string SipPrefix = "sip:";

    public static bool TryNormalize([NotNullWhen(true)] string? raw, [NotNullWhen(true)] out string? key)
    {
        key = null;
        if (string.IsNullOrWhiteSpace(raw)) return false;
        var text = raw.AsSpan().Trim();
        if (text.StartsWith(SipPrefix, StringComparison.OrdinalIgnoreCase)) text = text[SipPrefix.Length..];
        var at = text.IndexOf('@');
        if (at <= 0 || at != text.LastIndexOf('@') || at == text.Length - 1 || text.Length > 256) return false;
        foreach (var c in text)
            if (char.IsWhiteSpace(c) || c is ':' or '<' or '>' or '"' or '/' or ',' or ';') return false;
        key = text.ToString().ToLowerInvariant();
        return true;
    }

    public static string ToUri(string key) => SipPrefix + key;
}
