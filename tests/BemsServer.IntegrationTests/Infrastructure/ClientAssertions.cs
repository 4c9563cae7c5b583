using BemsServer.Client;

namespace BemsServer.IntegrationTests.Infrastructure;

/// <summary>Checks on a typed <see cref="BemsClient"/>.</summary>
public static class ClientAssertions
{
    /// <summary>Proves that no event is pending: a Ping's answer comes after every frame sent before it.</summary>
    public static async Task ExpectNoEventsAsync(this BemsClient client)
    {
        await client.PingAsync();
        client.PendingEvents.Should().BeEmpty();
    }
}
