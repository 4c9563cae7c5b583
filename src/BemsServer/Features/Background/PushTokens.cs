using System.Collections.Concurrent;

namespace BemsServer.Features.Background;

/// <summary>
/// The GNP tokens a tenant knows, each with the user that presented it (if any). A token becomes known when a client
/// presents it (BeginSession's <c>gnpToken</c>, a presence request's <c>X-Good-GNP-Token</c>, a live channel's
/// <c>?token=</c>) or the admin API adds it; at most <see cref="Capacity"/>, so that clients cannot grow it without bound.
/// </summary>
internal sealed class PushTokens
{
    public const int Capacity = 10_000;
    public const int MaxLength = 512;

    private readonly ConcurrentDictionary<string, string?> _owners = new(StringComparer.Ordinal);

    public int Count => _owners.Count;

    /// <summary>Whether a token is a usable one: 1 to <see cref="MaxLength"/> characters, none of them a control character.</summary>
    public static bool IsWellFormed([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? token) =>
        !string.IsNullOrWhiteSpace(token) && token.Length <= MaxLength && !token.Any(char.IsControl);

    public bool IsKnown(string token) => _owners.ContainsKey(token);

    /// <summary>The user key that presented the token, null when none did (an admin-made or channel-only token).</summary>
    public string? OwnerOf(string token) => _owners.GetValueOrDefault(token);

    /// <summary>
    /// Knows the token from now on (a later owner replaces an unknown one), unless it is malformed (not
    /// <see cref="IsWellFormed"/>) or new when the tenant already knows <see cref="Capacity"/> tokens; each caller
    /// answers those two its own way.
    /// </summary>
    public LearnOutcome Learn(string? token, string? ownerKey)
    {
        if (!IsWellFormed(token)) return LearnOutcome.Malformed;
        if (_owners.TryGetValue(token, out var owner))
        {
            if (owner is null && ownerKey is not null) _owners.TryUpdate(token, ownerKey, null);
            return LearnOutcome.Learned;
        }
        if (_owners.Count >= Capacity) return LearnOutcome.Full;
        _owners.TryAdd(token, ownerKey);
        return LearnOutcome.Learned;
    }

    public IReadOnlyList<KeyValuePair<string, string?>> Snapshot() => [.. _owners.OrderBy(static p => p.Key, StringComparer.Ordinal)];
}

/// <summary>What <see cref="PushTokens.Learn"/> made of a token.</summary>
internal enum LearnOutcome
{
    /// <summary>The token is known (it was already, or is now).</summary>
    Learned,

    /// <summary>Not a usable token: empty, longer than <see cref="PushTokens.MaxLength"/>, or with a control character.</summary>
    Malformed,

    /// <summary>A new token, but the tenant already knows <see cref="PushTokens.Capacity"/>.</summary>
    Full,
}
