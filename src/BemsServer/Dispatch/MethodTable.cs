using System.Collections.Frozen;

namespace BemsServer.Dispatch;

/// <summary>Every BEMS method by wire name (aliases included); built once from the registered handlers.</summary>
internal sealed class MethodTable(IEnumerable<IBemsMethod> methods)
{
    public FrozenDictionary<string, IBemsMethod> ByName { get; } = methods
        .SelectMany(static m => m.Aliases.Append(m.Name).Select(name => KeyValuePair.Create(name, m)))
        .ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Every wire name with its method's name (an alias maps to the method it stands for).</summary>
    public IEnumerable<KeyValuePair<string, string>> Names => ByName.Select(static m => KeyValuePair.Create(m.Key, m.Value.Name));
}
