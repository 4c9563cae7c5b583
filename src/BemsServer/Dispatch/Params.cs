using System.Globalization;
using System.Text.Json;
using BemsServer.Protocol;
using BemsServer.Protocol.Data;

namespace BemsServer.Dispatch;

/// <summary>
/// Reads a request's <c>params</c> object. Missing or mistyped parameters become -32602 errors that name the parameter.
/// Alternative spellings seen in the documentation's samples are looked up in <see cref="ParamAliases"/> when the documented
/// name is absent.
/// </summary>
internal readonly struct Params(JsonElement element, string method)
{
    /// <summary>The raw params object (default when the request had none).</summary>
    public JsonElement Element => element;

    public bool Has(string name) => TryGet(name, out _);

    public string RequiredString(string name, params ReadOnlySpan<string> aliases)
    {
        var value = OptionalString(name, aliases);
        if (string.IsNullOrWhiteSpace(value))
            throw Invalid(name, $"Missing required parameter '{name}' (a non-empty string).");
        return value;
    }

    public string? OptionalString(string name, params ReadOnlySpan<string> aliases)
    {
        if (!TryGet(name, out var value, aliases)) return null;
        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Null => null,
            _ => throw Invalid(name, $"Parameter '{name}' must be a string, not {JsonKinds.Describe(value.ValueKind)}."),
        };
    }

    /// <summary>A non-empty array of non-empty strings; a single string is taken as a one-element array (the samples do both).</summary>
    public IReadOnlyList<string> RequiredStrings(string name)
    {
        if (!TryGet(name, out var value) || value.ValueKind == JsonValueKind.Null)
            throw Invalid(name, $"Missing required parameter '{name}' (an array of strings).");
        if (value.ValueKind == JsonValueKind.String) return [RequiredString(name)];
        if (value.ValueKind != JsonValueKind.Array)
            throw Invalid(name, $"Parameter '{name}' must be an array of strings, not {JsonKinds.Describe(value.ValueKind)}.");
        var items = new List<string>(value.GetArrayLength());
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(item.GetString()))
                throw Invalid(name, $"Parameter '{name}' must hold non-empty strings, not {JsonKinds.Describe(item.ValueKind)}.");
            items.Add(item.GetString()!);
        }
        if (items.Count == 0) throw Invalid(name, $"Parameter '{name}' must name at least one contact.");
        return items;
    }

    /// <summary>A string or a number, as text (for fields typed String but defined by numeric codes, such as pushType).</summary>
    public string? OptionalStringOrNumber(string name)
    {
        if (!TryGet(name, out var value)) return null;
        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.Null => null,
            _ => throw Invalid(name, $"Parameter '{name}' must be a string or a number, not {JsonKinds.Describe(value.ValueKind)}."),
        };
    }

    public bool? OptionalBoolean(string name)
    {
        if (!TryGet(name, out var value)) return null;
        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Null => null,
            JsonValueKind.String when bool.TryParse(value.GetString(), out var parsed) => parsed,
            _ => throw Invalid(name, $"Parameter '{name}' must be a boolean, not {JsonKinds.Describe(value.ValueKind)}."),
        };
    }

    public long? OptionalInteger(string name)
    {
        if (!TryGet(name, out var value)) return null;
        return value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetInt64(out var n) => n,
            JsonValueKind.String when long.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) => n,
            JsonValueKind.Null => null,
            _ => throw Invalid(name, $"Parameter '{name}' must be an integer, not {JsonKinds.Describe(value.ValueKind)}."),
        };
    }

    /// <summary>An array of strings; with <paramref name="allowSingleString"/> a lone string is read as a one-element array.</summary>
    public IReadOnlyList<string>? OptionalStringArray(string name, bool allowSingleString = false)
    {
        if (!TryGet(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (allowSingleString && value.ValueKind == JsonValueKind.String) return [value.GetString()!];
        if (value.ValueKind != JsonValueKind.Array)
            throw Invalid(name, $"Parameter '{name}' must be an array of strings, not {JsonKinds.Describe(value.ValueKind)}.");
        var items = new List<string>(value.GetArrayLength());
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
                throw Invalid(name, $"Parameter '{name}' must hold strings only, not {JsonKinds.Describe(item.ValueKind)}.");
            items.Add(item.GetString()!);
        }
        return items;
    }

    public BemsRpcException Invalid(string name, string message) =>
        new(ErrorCodes.InvalidParams, message, new ErrorData(method, name));

    private bool TryGet(string name, out JsonElement value, ReadOnlySpan<string> aliases = default)
    {
        value = default;
        if (element.ValueKind != JsonValueKind.Object) return false;
        if (element.TryGetProperty(name, out value)) return true;
        foreach (var alias in aliases)
            if (element.TryGetProperty(alias, out value)) return true;
        foreach (var alias in ParamAliases.Of(method, name))
            if (element.TryGetProperty(alias, out value)) return true;
        return false;
    }

}
