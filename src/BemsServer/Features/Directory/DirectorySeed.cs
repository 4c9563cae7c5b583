using System.Text.Json;
using System.Text.Json.Serialization;
using BemsServer.Features.Rooms;
using BemsServer.Protocol.Admin;
using Microsoft.Extensions.Options;

namespace BemsServer.Features.Directory;

/// <summary>The directory seed file: the users every tenant starts with, simulated users among them, and its rooms.</summary>
internal sealed record DirectorySeed(IReadOnlyList<SeedUser> Users, IReadOnlyList<SeedCategory>? Categories = null, IReadOnlyList<SeedRoom>? Rooms = null);

/// <summary>
/// A seeded user. <c>behavior</c> is one of accept, echo, decline, ignore, or absent for a plain user. The rest is optional:
/// card fields, the presence and personal message a simulated user shows, a photo file (relative to the seed file), and
/// the user's starting contact list (<c>groups</c> with their contacts, and ungrouped <c>contacts</c>).
/// </summary>
internal sealed record SeedUser(
    string Id, string? DisplayName = null, string? Behavior = null,
    string? Title = null, string? MobilePhone = null, string? WorkPhone = null,
    string? Presence = null, string? PersonalMessage = null, string? Photo = null, bool? Blocked = null,
    IReadOnlyList<string>? Contacts = null, IReadOnlyList<SeedGroup>? Groups = null);

/// <summary>A seeded contact-list group.</summary>
internal sealed record SeedGroup(string Name, IReadOnlyList<string>? Contacts = null);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true)]
[JsonSerializable(typeof(DirectorySeed))]
internal sealed partial class SeedJsonContext : JsonSerializerContext;

/// <summary>Loads the seed once: from <c>Bems:Directory:SeedFile</c>, or the built-in default seed.</summary>
internal sealed class DirectorySeedSource(IOptions<DirectoryOptions> options)
{
    private readonly Lazy<DirectorySeed> _seed = new(() => Read(options.Value.SeedFile));
    private readonly Lazy<IReadOnlyList<DirectoryUser>> _users = new(() => Load(options.Value.SeedFile));

    public IReadOnlyList<DirectoryUser> Users => _users.Value;

    /// <summary>Whether the users have been read (the readiness check asks).</summary>
    public bool IsLoaded => _users.IsValueCreated;

    /// <summary>The seed as written (its rooms are checked by <see cref="RoomSeedSource"/>).</summary>
    public DirectorySeed Seed => _seed.Value;

    public static IReadOnlyList<DirectoryUser> Load(string? seedFile) =>
        Parse(Read(seedFile), seedFile ?? "the built-in seed", string.IsNullOrEmpty(seedFile) ? null : Path.GetDirectoryName(Path.GetFullPath(seedFile)));

    public static DirectorySeed Read(string? seedFile)
    {
        using var stream = string.IsNullOrEmpty(seedFile)
            ? typeof(DirectorySeedSource).Assembly.GetManifestResourceStream("BemsServer.default-seed.json")!
            : File.OpenRead(seedFile);
        return JsonSerializer.Deserialize(stream, SeedJsonContext.Default.DirectorySeed)
            ?? throw new InvalidDataException("The directory seed is empty.");
    }

    public static IReadOnlyList<DirectoryUser> Parse(DirectorySeed seed, string source, string? baseDirectory = null)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var user in seed.Users ?? [])
        {
            if (!ContactAddress.TryNormalize(user.Id, out var key))
                throw new InvalidDataException($"{source}: '{user.Id}' is not a user id such as sip:alice@example.com.");
            keys.Add(key);
        }

        var users = new List<DirectoryUser>();
        foreach (var user in seed.Users ?? [])
        {
            if (!ContactAddress.TryNormalize(user.Id, out var key)) continue; // refused in the first pass
            if (!Enum.TryParse<Behavior>(user.Behavior ?? nameof(Behavior.None), ignoreCase: true, out var behavior))
                throw new InvalidDataException($"{source}: user {user.Id} has unknown behavior '{user.Behavior}' (accept, echo, decline or ignore).");
            users.Add(new DirectoryUser(key, user.DisplayName ?? key[..key.IndexOf('@')], behavior)
            {
                Profile = SeedProfiles.Parse(user, key, keys, source, baseDirectory),
            });
        }
        return users;
    }
}
