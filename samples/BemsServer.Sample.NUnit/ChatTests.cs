using BemsServer.Client;
using BemsServer.Testing;

namespace BemsServer.Sample.NUnit;

/// <summary>One emulator for every test in this namespace: NUnit runs a SetUpFixture once around them.</summary>
[SetUpFixture]
public sealed class Emulator
{
    public static BemsEmulator Instance { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => Instance = await BemsEmulator.StartAsync().WaitAsync(TimeSpan.FromSeconds(60));

    [OneTimeTearDown]
    public async Task StopAsync() => await Instance.DisposeAsync();
}

/// <summary>Each test takes a fresh tenant of the one emulator, so tests may run in parallel.</summary>
[Parallelizable(ParallelScope.All)]
[CancelAfter(60_000)]
public sealed class ChatTests
{
    [Test]
    public async Task BeginSession_Completes(CancellationToken ct)
    {
        await using var alice = await BemsClient.ConnectAsync(Emulator.Instance.NewTenant().WebSocketUri, cancellationToken: ct);

        await alice.BeginSessionAsync("alice@example.com", cancellationToken: ct);

        Assert.That(await alice.PingAsync(ct), Is.EqualTo(86400));
    }

    [Test]
    public async Task Message_ToEcho_Completes(CancellationToken ct)
    {
        await using var alice = await BemsClient.ConnectAsync(Emulator.Instance.NewTenant().WebSocketUri, cancellationToken: ct);
        await alice.BeginSessionAsync("alice@example.com", cancellationToken: ct);

        var outcome = await alice.SendMessageAsync("echo@example.com", "hi", cancellationToken: ct);

        Assert.That(outcome.Kind, Is.EqualTo(SendOutcomeKind.Delivered));
    }
}
