using System.Collections.Frozen;
using System.Text.Json;
using BemsServer.Dispatch;

namespace BemsServer.Dashboard;

/// <summary>
/// The parameters each documented method takes, read from the spec's machine-readable catalogue (embedded from
/// docs/spec/bems-connect-api.json), plus the common ones (§2.7) and the aliases the server accepts. Loaded on first use.
/// </summary>
internal static class ParamCatalogue
{
    private static readonly string[] Common = [Dependencies.Param, "reconnect"];

    private static readonly Lazy<FrozenDictionary<string, FrozenSet<string>>> Known = new(Load);

    /// <summary>False when the method is not in the catalogue (nothing to check against).</summary>
    public static bool TryGet(string method, out FrozenSet<string> names) => Known.Value.TryGetValue(method, out names!);

    private static FrozenDictionary<string, FrozenSet<string>> Load()
    {
        using var stream = typeof(ParamCatalogue).Assembly.GetManifestResourceStream("BemsServer.bems-connect-api.json")
            ?? throw new InvalidOperationException("The spec catalogue is not embedded.");
        using var document = JsonDocument.Parse(stream);
        var aliases = ParamAliases.All.ToLookup(static a => a.Method, static a => a.Alias, StringComparer.Ordinal);
        var known = new Dictionary<string, FrozenSet<string>>(StringComparer.Ordinal);
        foreach (var method in document.RootElement.GetProperty("methods").EnumerateArray())
        {
            var name = method.GetProperty("name").GetString()!;
            var names = method.GetProperty("params").EnumerateArray().Select(static p => p.GetProperty("name").GetString()!)
                .Concat(Common).Concat(aliases[name]);
            known[name] = names.ToFrozenSet(StringComparer.Ordinal);
        }
        return known.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
