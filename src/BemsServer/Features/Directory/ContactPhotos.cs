using System.Globalization;
using System.Text;
using BemsServer.Protocol.Data;

namespace BemsServer.Features.Directory;

/// <summary>
/// A contact's photo as GetContactPhotos returns it: base64 bytes and their content type. A user without a seeded photo gets
/// an SVG placeholder: their initials on a colour derived from their address (stable across runs).
/// </summary>
internal static class ContactPhotos
{
    public static ContactPhoto Of(DirectoryUser user)
    {
        if (user.Profile.PhotoFile is { } file)
            return new ContactPhoto(user.Uri, ContentTypeOf(file), Convert.ToBase64String(File.ReadAllBytes(file)));
        return new ContactPhoto(user.Uri, "image/svg+xml", Convert.ToBase64String(Encoding.UTF8.GetBytes(Placeholder(user))));
    }

    public static string Placeholder(DirectoryUser user)
    {
        var initials = string.Concat(user.DisplayName.Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(2)
            .Select(w => char.ToUpperInvariant(w[0])));
        if (initials.Length == 0) initials = "?";
        var hue = (int)(Fnv1a(user.Key) % 360);
        return string.Create(CultureInfo.InvariantCulture,
            $"""<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96" viewBox="0 0 96 96"><rect width="96" height="96" fill="hsl({hue},55%,45%)"/><text x="48" y="60" font-family="sans-serif" font-size="36" text-anchor="middle" fill="#fff">{System.Security.SecurityElement.Escape(initials)}</text></svg>""");
    }

    private static string ContentTypeOf(string file) => Path.GetExtension(file).ToLowerInvariant() switch
    {
        ".png" => "image/png",
        ".jpg" or ".jpeg" => "image/jpeg",
        ".gif" => "image/gif",
        ".svg" => "image/svg+xml",
        _ => "application/octet-stream",
    };

    private static uint Fnv1a(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text) hash = (hash ^ c) * 16777619u;
        return hash;
    }
}
