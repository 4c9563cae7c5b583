using BemsServer.IntegrationTests.Infrastructure;

namespace BemsServer.IntegrationTests.Rooms;

/// <summary>A host whose directory has the documentation's sample users (user1 "User 1", user2 "User 2", user3 "user 3").</summary>
public sealed class RoomHost() : BemsHost(new() { ["Bems:Directory:SeedFile"] = SeedFile.Value })
{
    private static readonly Lazy<string> SeedFile = new(() =>
    {
        var path = Path.Combine(Path.GetTempPath(), $"bems-room-seed-{Environment.ProcessId}.json");
        File.WriteAllText(path, """
            { "users": [
              { "id": "sip:user1@example.com", "displayName": "User 1" },
              { "id": "sip:user2@example.com", "displayName": "User 2" },
              { "id": "sip:user3@example.com", "displayName": "user 3" } ] }
            """);
        return path;
    });
}
