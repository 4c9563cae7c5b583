using BemsServer.IntegrationTests.Infrastructure;

namespace BemsServer.IntegrationTests.Service;

/// <summary>One real server process for a test class, on a free loopback port, started the way a user starts it.</summary>
public sealed class ServerProcessFixture : IAsyncLifetime
{
    public ServerProcess Server { get; private set; } = null!;
    public Uri BaseAddress { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = ServerProcess.Start(["--urls", "http://127.0.0.1:0"]);
        BaseAddress = await Server.WaitUntilReadyAsync();
    }

    public Uri WebSocketUri(string tenant) => new($"ws://{BaseAddress.Authority}/t/{tenant}/");

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
