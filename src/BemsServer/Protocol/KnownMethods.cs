using System.Collections.Frozen;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace BemsServer.Protocol;

/// <summary>
/// A request's method as the one string <see cref="MethodNames"/> holds for it, looked up rather than decoded. Whatever
/// keeps the method (the journal's header of the request and of each answer, a pending completion) then keeps no string
/// of its own per request: under load those strings outlived a gen0 collection and were promoted (issue 20).
/// </summary>
internal static class KnownMethods
{
    private const int MaxLength = 64;

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> Names = typeof(MethodNames)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(static f => f.IsLiteral && f.FieldType == typeof(string))
        .Select(static f => string.Intern((string)f.GetRawConstantValue()!)) // the literal every "MethodNames.X" in code is
        .ToFrozenSet(StringComparer.Ordinal)
        .GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>The known name a JSON string spells without escapes; null for any other (the caller decodes it).</summary>
    public static string? Find(JsonElement value)
    {
        var raw = JsonMarshal.GetRawUtf8Value(value)[1..^1]; // the string as sent between its quotes, escapes and all
        if (raw.Length is 0 or > MaxLength || raw.IndexOf((byte)'\\') >= 0) return null;
        Span<char> chars = stackalloc char[MaxLength];
        return Ascii.ToUtf16(raw, chars, out var length) == System.Buffers.OperationStatus.Done
            && Names.TryGetValue(chars[..length], out var name) ? name : null;
    }
}
