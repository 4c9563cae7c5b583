using System.Collections.Frozen;
using BemsServer.Features.Sessions;

namespace BemsServer.Dispatch;

/// <summary>Every BEMS method by wire name (aliases included); built once from the registered handlers.</summary>
public sealed class MethodTable(IEnumerable<IBemsMethod> methods, Reconnection? reconnection = null)
{
    /// <summary>Resumes parked sessions for requests that carry <c>reconnect</c>.</summary>
    public Reconnection? Reconnection { get; } = reconnection;

    public FrozenDictionary<string, IBemsMethod> ByName { get; } = methods
        .SelectMany(static m => m.Aliases.Append(m.Name).Select(name => KeyValuePair.Create(name, m)))
        .ToFrozenDictionary(StringComparer.Ordinal);
}
