using BemsServer.IntegrationTests.Infrastructure;

namespace BemsServer.IntegrationTests.Im;

/// <summary>
/// A host whose directory is Im/im-seed.json: the users the spec's samples name (user1, user2, user3, user33, user_1,
/// contact), a simulated echo user with a seeded presence, and me@example.com with a seeded contact list (group 1 Friends
/// with user2, group 2 Empty, and user1 and user33 ungrouped).
/// Push records are logged at Information, so that level is kept for them.
/// </summary>
public sealed class ImHost() : BemsHost(Settings())
{
    public static Dictionary<string, string?> Settings() => new()
    {
        ["Bems:Directory:SeedFile"] = Path.Combine(AppContext.BaseDirectory, "Im", "im-seed.json"),
        ["Serilog:MinimumLevel:Override:BemsServer.Features.Background"] = "Information",
    };
}

/// <summary>The same directory on two cluster nodes.</summary>
public sealed class ImClusterHost() : ClusterHost(ImHost.Settings());
