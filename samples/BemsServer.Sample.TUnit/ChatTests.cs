using BemsServer.Client;
using BemsServer.Testing;
using TUnit.Core.Interfaces;

namespace BemsServer.Sample.TUnit;

/// <summary>The emulator as a TUnit data source: one for the whole test session (Shared = PerTestSession).</summary>
public sealed class EmulatorFixture : IAsyncInitializer, IAsyncDisposable
{
    public BemsEmulator Emulator { get; private set; } = null!;

    public async Task InitializeAsync() => Emulator = await BemsEmulator.StartAsync().WaitAsync(TimeSpan.FromSeconds(60));

    public async ValueTask DisposeAsync() => await Emulator.DisposeAsync();
}

/// <summary>Each test takes a fresh tenant of the one emulator; TUnit runs tests in parallel by default.</summary>
[ClassDataSource<EmulatorFixture>(Shared = SharedType.PerTestSession)]
[Timeout(60_000)]
public sealed class ChatTests(EmulatorFixture fixture)
{
    [Test]
    public async Task BeginSession_Completes(CancellationToken ct)
    {
        await using var alice = await BemsClient.ConnectAsync(fixture.Emulator.NewTenant().WebSocketUri, cancellationToken: ct);

        await alice.BeginSessionAsync("alice@example.com", cancellationToken: ct);

        await Assert.That(await alice.PingAsync(ct)).IsEqualTo(86400);
    }

    [Test]
    public async Task Message_ToEcho_Completes(CancellationToken ct)
    {
        await using var alice = await BemsClient.ConnectAsync(fixture.Emulator.NewTenant().WebSocketUri, cancellationToken: ct);
        await alice.BeginSessionAsync("alice@example.com", cancellationToken: ct);

        var outcome = await alice.SendMessageAsync("echo@example.com", "hi", cancellationToken: ct);

        await Assert.That(outcome.Kind).IsEqualTo(SendOutcomeKind.Delivered);
    }
}
