using BemsServer.Features.Directory;
using BemsServer.Protocol.Admin;
using Microsoft.Extensions.Options;

namespace BemsServer.Features.Rooms;

/// <summary>A category of the seed: who may create rooms in it (absent: everyone) and whether members are invited (default true).</summary>
internal sealed record SeedCategory(string Id, IReadOnlyList<string>? Creators = null, bool? Invitations = null);

/// <summary>A line of a seeded room's history.</summary>
internal sealed record SeedMessage(string Author, string Message);

/// <summary>Simulated posts: every <c>Every</c>, the next author posts the next message (both in turn).</summary>
internal sealed record SeedPosts(TimeSpan Every, IReadOnlyList<string> Authors, IReadOnlyList<string> Messages);

/// <summary>A seeded room. Followers (and post authors) are participants from the start.</summary>
internal sealed record SeedRoom(
    string Name, string? Id = null, string? Description = null, string? Category = null, string? Privacy = null,
    IReadOnlyList<string>? Managers = null, IReadOnlyList<string>? Members = null, IReadOnlyList<string>? Followers = null,
    IReadOnlyList<SeedMessage>? History = null, SeedPosts? Posts = null);

/// <summary>A seeded room checked against the directory: addresses as keys, privacy and category resolved.</summary>
internal sealed record PlannedRoom(
    Guid? Id, string Name, string Description, string Category, RoomPrivacy Privacy,
    IReadOnlyList<string> Managers, IReadOnlyList<string> Members, IReadOnlyList<string> Followers,
    IReadOnlyList<(string Author, string Text)> History, SeedPosts? Posts);

/// <summary>What every tenant's rooms start from.</summary>
internal sealed record RoomSeedPlan(RoomSettings Settings, IReadOnlyList<PlannedRoom> Rooms);

/// <summary>Checks the seed's categories and rooms once (at start), so that a broken seed fails the start, not a tenant.</summary>
internal sealed class RoomSeedSource(DirectorySeedSource directory, IOptions<RoomOptions> options)
{
    private readonly Lazy<RoomSeedPlan> _plan = new(() => Plan(directory.Seed, directory.Users, options.Value));

    public RoomSeedPlan Value => _plan.Value;

    public static RoomSeedPlan Plan(DirectorySeed seed, IReadOnlyList<DirectoryUser> users, RoomOptions options)
    {
        var known = users.Select(u => u.Key).ToHashSet(StringComparer.Ordinal);
        string Key(string raw, string what) =>
            ContactAddress.TryNormalize(raw, out var key) && known.Contains(key)
                ? key : throw new InvalidDataException($"Seed {what}: '{raw}' is not a user of the seed.");
        List<string> Keys(IReadOnlyList<string>? raws, string what) => [.. (raws ?? []).Select(r => Key(r, what))];

        var categories = new Dictionary<string, RoomCategory>(StringComparer.Ordinal);
        foreach (var c in seed.Categories ?? [])
        {
            if (string.IsNullOrWhiteSpace(c.Id) || categories.ContainsKey(c.Id)) throw new InvalidDataException($"Seed category '{c.Id}' is blank or repeated.");
            categories[c.Id] = new RoomCategory(c.Id, c.Creators is null ? null : Keys(c.Creators, $"category {c.Id}").ToHashSet(), c.Invitations ?? true);
        }

        var rooms = new List<PlannedRoom>();
        foreach (var r in seed.Rooms ?? [])
        {
            var what = $"room '{r.Name}'";
            if (string.IsNullOrWhiteSpace(r.Name) || r.Name.Length > RoomRpcCallExtensions.MaxTextLength || (r.Description?.Length ?? 0) > RoomRpcCallExtensions.MaxTextLength)
                throw new InvalidDataException($"Seed {what}: name must be 1-256 characters, description at most 256.");
            if (rooms.Any(p => string.Equals(p.Name, r.Name, StringComparison.OrdinalIgnoreCase))) throw new InvalidDataException($"Seed {what} is repeated.");
            var category = r.Category ?? options.DefaultCategory;
            if (!categories.ContainsKey(category) && (category.Length == 0 || category != options.DefaultCategory))
                throw new InvalidDataException($"Seed {what}: category '{category}' is not declared.");
            if (!Enum.TryParse<RoomPrivacy>(r.Privacy ?? nameof(RoomPrivacy.Open), ignoreCase: true, out var privacy) || !Enum.IsDefined(privacy))
                throw new InvalidDataException($"Seed {what}: privacy '{r.Privacy}' is not Open, Closed or Secret.");
            Guid? id = r.Id is null ? null : Guid.TryParse(r.Id, out var g) ? g : throw new InvalidDataException($"Seed {what}: id '{r.Id}' is not a GUID.");
            if (r.Posts is { } posts && (posts.Every <= TimeSpan.Zero || posts.Authors is not { Count: > 0 } || posts.Messages is not { Count: > 0 }))
                throw new InvalidDataException($"Seed {what}: posts need a positive 'every', authors and messages.");
            var managers = Keys(r.Managers, what);
            if (managers.Count == 0) throw new InvalidDataException($"Seed {what}: a room needs at least one manager.");
            var members = managers.Union(Keys(r.Members, what)).ToList();
            var followers = Keys(r.Followers, what).Union(Keys(r.Posts?.Authors, what)).ToList();
            if (privacy != RoomPrivacy.Open && followers.Except(members).FirstOrDefault() is { } outsider)
                throw new InvalidDataException($"Seed {what}: {outsider} follows or posts but is not a member of this {privacy} room.");
            rooms.Add(new PlannedRoom(id, r.Name, r.Description ?? "", category, privacy, managers, members, followers,
                [.. (r.History ?? []).Select(m => (Key(m.Author, what), m.Message))], r.Posts));
        }
        return new RoomSeedPlan(new RoomSettings(options.Host, options.DefaultCategory, categories), rooms);
    }
}
