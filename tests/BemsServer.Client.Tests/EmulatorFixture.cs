using BemsServer.Testing;

namespace BemsServer.Client.Tests;

/// <summary>One emulator per test class, on a virtual clock so that timeouts fire when a test advances it.</summary>
public sealed class EmulatorFixture : IAsyncLifetime
{
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    public BemsEmulator Emulator { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Emulator = await BemsEmulator.StartAsync(new BemsEmulatorOptions { VirtualClock = true }).WaitAsync(TimeSpan.FromSeconds(60));

    public async Task DisposeAsync() => await Emulator.DisposeAsync();

    /// <summary>Connects to the tenant and signs in as the user.</summary>
    public static async Task<BemsClient> SignInAsync(BemsTenant tenant, string user, BemsClientOptions? options = null)
    {
        var client = await BemsClient.ConnectAsync(tenant.WebSocketUri, options).WaitAsync(Bound);
        await client.BeginSessionAsync(user);
        return client;
    }
}
