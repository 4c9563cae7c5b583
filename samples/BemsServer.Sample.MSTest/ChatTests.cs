using BemsServer.Client;
using BemsServer.Testing;

[assembly: Parallelize(Scope = ExecutionScope.MethodLevel)]

namespace BemsServer.Sample.MSTest;

/// <summary>One emulator for the whole test assembly, started before the first test and stopped after the last.</summary>
[TestClass]
public static class Emulator
{
    public static BemsEmulator Instance { get; private set; } = null!;

    [AssemblyInitialize]
    public static async Task StartAsync(TestContext context) =>
        Instance = await BemsEmulator.StartAsync(context.CancellationToken).WaitAsync(TimeSpan.FromSeconds(60), context.CancellationToken);

    [AssemblyCleanup]
    public static async Task StopAsync() => await Instance.DisposeAsync();
}

/// <summary>Each test takes a fresh tenant of the one emulator, so tests may run in parallel.</summary>
[TestClass]
public sealed class ChatTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public async Task BeginSession_Completes()
    {
        var ct = TestContext.CancellationToken;
        await using var alice = await BemsClient.ConnectAsync(Emulator.Instance.NewTenant().WebSocketUri, cancellationToken: ct);

        await alice.BeginSessionAsync("alice@example.com", cancellationToken: ct);

        Assert.AreEqual(86400, await alice.PingAsync(ct));
    }

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public async Task Message_ToEcho_Completes()
    {
        var ct = TestContext.CancellationToken;
        await using var alice = await BemsClient.ConnectAsync(Emulator.Instance.NewTenant().WebSocketUri, cancellationToken: ct);
        await alice.BeginSessionAsync("alice@example.com", cancellationToken: ct);

        var outcome = await alice.SendMessageAsync("echo@example.com", "hi", cancellationToken: ct);

        Assert.AreEqual(SendOutcomeKind.Delivered, outcome.Kind);
    }
}
