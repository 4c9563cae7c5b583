using System.Collections.Concurrent;
using BemsServer.Protocol.Admin;

namespace BemsServer.Features.Directory;

/// <summary>A tenant's users, seeded at creation; in open auth mode a user joins on first sign-in.</summary>
internal sealed class UserDirectory
{
    private readonly ConcurrentDictionary<string, DirectoryUser> _users = new(StringComparer.Ordinal);

    public UserDirectory(IEnumerable<DirectoryUser> seed)
    {
        foreach (var user in seed) _users[user.Key] = user;
    }

    public ICollection<DirectoryUser> Users => _users.Values;

    public DirectoryUser? Find(string key) => _users.GetValueOrDefault(key);

    /// <summary>Finds a user by any accepted spelling of its id.</summary>
    public DirectoryUser? FindByAddress(string? address) =>
        ContactAddress.TryNormalize(address, out var key) ? Find(key) : null;

    public DirectoryUser GetOrAdd(string key) =>
        _users.GetOrAdd(key, static k => new DirectoryUser(k, DisplayNameOf(k), Behavior.None));

    /// <summary>Adds a user (admin API); false when the id is taken.</summary>
    public bool TryAdd(DirectoryUser user) => _users.TryAdd(user.Key, user);

    /// <summary>Removes a user (admin API).</summary>
    public bool Remove(string key) => _users.TryRemove(key, out _);

    /// <summary>"alice.smith@example.com" reads as "alice.smith", the way Skype shows an address without a card.</summary>
    private static string DisplayNameOf(string key) => key[..key.IndexOf('@')];
}
