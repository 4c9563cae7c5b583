using System.Text.Json;
using BemsServer.Protocol;
using BemsServer.Protocol.Data;

namespace BemsServer.Dispatch;

/// <summary>
/// The common parameter <c>dependencies</c> (spec §2.7): earlier request ids of the connection that a request waits for.
/// The documented form is a comma-separated string; a JSON array of ids is accepted too.
/// </summary>
internal static class Dependencies
{
    public const string Param = "dependencies";

    /// <summary>
    /// The ids the request names; false (with no allocation) when it names none. Costs one property lookup on the common
    /// path, where the parameter is absent.
    /// </summary>
    public static bool TryRead(JsonElement parameters, string method, out IReadOnlyList<string> ids)
    {
        ids = [];
        if (parameters.ValueKind != JsonValueKind.Object || !parameters.TryGetProperty(Param, out var value)) return false;
        ids = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
            JsonValueKind.Array => ReadArray(value, method),
            JsonValueKind.Null => [],
            _ => throw Invalid(method, "Parameter 'dependencies' must be a comma-separated string of request ids (or an array of them)."),
        };
        return ids.Count > 0;
    }

    /// <summary>-32021: the id is not one of this connection's (remembered) requests.</summary>
    public static BemsRpcException Unknown(string method, string id) =>
        new(ErrorCodes.DependencyUnknown,
            $"Dependency '{id}' is unknown: no earlier request of this connection has that id (or it is older than the last {RequestOutcomes.DefaultCapacity} requests).",
            new ErrorData(method, Param));

    /// <summary>-32020: the request the id names failed (an error, or a MessageUpdate).</summary>
    public static BemsRpcException Failed(string method, string id) =>
        new(ErrorCodes.DependencyFailed,
            $"Dependency '{id}' failed: that request ended in an error or a MessageUpdate, so this one was not run.",
            new ErrorData(method, Param));

    private static string[] ReadArray(JsonElement array, string method)
    {
        var ids = new List<string>(array.GetArrayLength());
        foreach (var item in array.EnumerateArray())
        {
            ids.Add(item.ValueKind switch
            {
                JsonValueKind.String when !string.IsNullOrWhiteSpace(item.GetString()) => item.GetString()!.Trim(),
                JsonValueKind.Number when item.TryGetInt64(out _) => item.GetRawText(),
                _ => throw Invalid(method, "Parameter 'dependencies' must hold request ids (non-empty strings or integers)."),
            });
        }
        return [.. ids];
    }

    private static BemsRpcException Invalid(string method, string message) =>
        new(ErrorCodes.InvalidParams, message, new ErrorData(method, Param));
}
