using BemsServer.Client;
using BemsServer.Testing;

// One emulator for the whole test assembly: xunit v3 creates it before the first test that asks for it and disposes it
// after the last one.
[assembly: AssemblyFixture(typeof(BemsServer.Sample.XunitV3.EmulatorFixture))]

namespace BemsServer.Sample.XunitV3;

public sealed class EmulatorFixture : IAsyncLifetime
{
    public BemsEmulator Emulator { get; private set; } = null!;

    public async ValueTask InitializeAsync() =>
        Emulator = await BemsEmulator.StartAsync().WaitAsync(TimeSpan.FromSeconds(60));

    public async ValueTask DisposeAsync() => await Emulator.DisposeAsync();
}

/// <summary>Each test takes a fresh tenant of the one emulator, so tests (and classes) may run in parallel.</summary>
public sealed class ChatTests(EmulatorFixture fixture)
{
    [Fact]
    public async Task BeginSession_Completes()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var alice = await BemsClient.ConnectAsync(fixture.Emulator.NewTenant().WebSocketUri, cancellationToken: ct);

        await alice.BeginSessionAsync("alice@example.com", cancellationToken: ct);

        Assert.Equal(86400, await alice.PingAsync(ct));
    }

    [Fact]
    public async Task Message_ToEcho_Completes()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var alice = await BemsClient.ConnectAsync(fixture.Emulator.NewTenant().WebSocketUri, cancellationToken: ct);
        await alice.BeginSessionAsync("alice@example.com", cancellationToken: ct);

        var outcome = await alice.SendMessageAsync("echo@example.com", "hi", cancellationToken: ct);

        Assert.Equal(SendOutcomeKind.Delivered, outcome.Kind);
    }
}
