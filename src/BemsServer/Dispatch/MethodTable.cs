using System.Collections.Frozen;

namespace BemsServer.Dispatch;

/// <summary>Every BEMS method by wire name (aliases included); built once from the registered handlers.</summary>
public sealed class MethodTable(IEnumerable<IBemsMethod> methods)
{
    public FrozenDictionary<string, IBemsMethod> ByName { get; } = methods
        .SelectMany(static m => m.Aliases.Append(m.Name).Select(name => KeyValuePair.Create(name, m)))
        .ToFrozenDictionary(StringComparer.Ordinal);
}
