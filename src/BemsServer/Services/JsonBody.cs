using System.Text;
using System.Text.Json;
using BemsServer.Protocol;

namespace BemsServer.Services;

/// <summary>
/// A service request's JSON body, read whole (at most <see cref="MaxBytes"/>; more is refused 413) and parsed before
/// anything changes, with typed reads that refuse a missing member or one of the wrong type (400), naming it.
/// Member names are matched exactly, as the samples spell them.
/// </summary>
internal sealed class JsonBody(JsonElement root)
{
    public const int MaxBytes = 64 * 1024;

    public static async Task<JsonBody> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var bytes = BodyBytes.AsUtf8(request, await BodyBytes.ReadAsync(request, MaxBytes, cancellationToken));
        try
        {
            using var document = JsonDocument.Parse(bytes);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw ServiceProblem.BadRequest($"The body must be a JSON object, not {JsonKinds.Describe(document.RootElement.ValueKind)}.");
            return new JsonBody(document.RootElement.Clone());
        }
        catch (JsonException ex)
        {
            throw ServiceProblem.BadRequest("The body is not valid JSON: " + ex.Message);
        }
    }

    public string RequiredString(string name, int maxLength = 256) => OptionalString(name, maxLength) ?? throw Missing(name, "a string");

    public string? OptionalString(string name, int maxLength = 256)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind != JsonValueKind.String) throw WrongType(name, "a string", value);
        var text = value.GetString()!;
        return text.Length <= maxLength ? text : throw ServiceProblem.BadRequest($"'{name}' is longer than {maxLength} characters.");
    }

    public int? OptionalInt(string name)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) ? number : throw WrongType(name, "an integer", value);
    }

    public bool? OptionalBool(string name)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        return value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : throw WrongType(name, "a boolean", value);
    }

    public IReadOnlyList<string> RequiredStrings(string name, int maxCount) => OptionalStrings(name, maxCount) ?? throw Missing(name, "an array of strings");

    public IReadOnlyList<string>? OptionalStrings(string name, int maxCount)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind != JsonValueKind.Array) throw WrongType(name, "an array of strings", value);
        if (value.GetArrayLength() > maxCount) throw ServiceProblem.BadRequest($"'{name}' holds {value.GetArrayLength()} items; at most {maxCount} are accepted.");
        var items = new List<string>(value.GetArrayLength());
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String) throw WrongType($"{name}[{index}]", "a string", item);
            var text = item.GetString()!;
            if (text.Length > 256) throw ServiceProblem.BadRequest($"'{name}[{index}]' is longer than 256 characters.");
            items.Add(text);
            index++;
        }
        return items;
    }

    private static ServiceProblem Missing(string name, string what) => ServiceProblem.BadRequest($"The body lacks '{name}' ({what}).");

    private static ServiceProblem WrongType(string name, string what, JsonElement value) =>
        ServiceProblem.BadRequest($"'{name}' must be {what}, not {JsonKinds.Describe(value.ValueKind)}.");

}

/// <summary>Reads a request body up to a bound: a longer one (by Content-Length or as it arrives) is refused 413.</summary>
internal static class BodyBytes
{
    public static async Task<byte[]> ReadAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes) throw TooLarge(maxBytes);
        var bytes = await ReadAtMostAsync(request.Body, maxBytes + 1, cancellationToken);
        return bytes.Length <= maxBytes ? bytes : throw TooLarge(maxBytes);
    }

    /// <summary>The first <paramref name="limit"/> bytes of the stream (all of it when shorter); the rest is left unread.</summary>
    public static async Task<byte[]> ReadAtMostAsync(Stream stream, int limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while (buffer.Length < limit && (read = await stream.ReadAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, limit - buffer.Length)), cancellationToken)) > 0)
            buffer.Write(chunk, 0, read);
        return buffer.ToArray();
    }

    /// <summary>
    /// The body's text in the charset its Content-Type names, UTF-8 when it names none. Apache HttpClient's
    /// <c>StringEntity(text)</c>, which the Android samples use, sends ISO-8859-1 and says so.
    /// </summary>
    public static string Text(HttpRequest request, byte[] bytes)
    {
        var encoding = EncodingOf(request);
        try
        {
            return encoding.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw ServiceProblem.BadRequest($"The body is not valid {encoding.WebName}.");
        }
    }

    /// <summary>The body as UTF-8 bytes (transcoded when its Content-Type names another charset).</summary>
    public static byte[] AsUtf8(HttpRequest request, byte[] bytes) =>
        EncodingOf(request) is UTF8Encoding ? bytes : Encoding.UTF8.GetBytes(Text(request, bytes));

    private static Encoding EncodingOf(HttpRequest request)
    {
        if (!Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(request.ContentType, out var type) || type.Charset.Length == 0)
            return StrictUtf8;
        var charset = type.Charset.ToString().Trim('"');
        if (charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) || charset.Equals("utf8", StringComparison.OrdinalIgnoreCase)) return StrictUtf8;
        try
        {
            return Encoding.GetEncoding(charset, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
        }
        catch (ArgumentException)
        {
            throw ServiceProblem.BadRequest($"The Content-Type's charset '{charset}' is not one the server reads (UTF-8, ISO-8859-1, US-ASCII, UTF-16).");
        }
    }

    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);

    private static ServiceProblem TooLarge(int maxBytes) =>
        new(StatusCodes.Status413PayloadTooLarge, $"The body is larger than {maxBytes} bytes.");
}
