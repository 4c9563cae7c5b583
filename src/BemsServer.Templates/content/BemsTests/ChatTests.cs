using BemsServer.Client;
using BemsServer.Protocol.Admin;
using BemsServer.Protocol.Data;
using BemsServer.Testing;

// One emulator for the whole test assembly, on a virtual clock: time stands still until a test advances it.
[assembly: AssemblyFixture(typeof(BemsTests.EmulatorFixture))]

namespace BemsTests;

public sealed class EmulatorFixture : IAsyncLifetime
{
    public BemsEmulator Emulator { get; private set; } = null!;

    public async ValueTask InitializeAsync() =>
        Emulator = await BemsEmulator.StartAsync(new BemsEmulatorOptions { VirtualClock = true }).WaitAsync(TimeSpan.FromSeconds(60));

    public async ValueTask DisposeAsync() => await Emulator.DisposeAsync();
}

/// <summary>
/// Each test takes a fresh tenant (its own users, sessions and chats), so tests run in parallel. The simulated users:
/// echo@ answers every message, decline@ declines every invitation, ignore@ never answers.
/// </summary>
public sealed class ChatTests(EmulatorFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task BeginSession_Completes()
    {
        await using var alice = await BemsClient.ConnectAsync(fixture.Emulator.NewTenant().WebSocketUri, cancellationToken: Ct);

        await alice.BeginSessionAsync("alice@example.com", cancellationToken: Ct);   // PROCESSING, then COMPLETE

        Assert.Equal(86400, await alice.PingAsync(Ct));
    }

    [Fact]
    public async Task Message_ToEcho_CompletesAndComesBack()
    {
        await using var alice = await BemsClient.ConnectAsync(fixture.Emulator.NewTenant().WebSocketUri, cancellationToken: Ct);
        await alice.BeginSessionAsync("alice@example.com", cancellationToken: Ct);

        var outcome = await alice.SendMessageAsync("echo@example.com", "Are you there?", cancellationToken: Ct);
        var echo = await alice.WaitForEventAsync<MessageReceivedData>(m => m.Message == "Are you there?", cancellationToken: Ct);

        Assert.Equal(SendOutcomeKind.Delivered, outcome.Kind);
        Assert.Equal(outcome.ChatId, echo.ChatId);
    }

    [Fact]
    public async Task Message_ToSomeoneWhoDeclines_EndsInMessageUpdate()
    {
        await using var alice = await BemsClient.ConnectAsync(fixture.Emulator.NewTenant().WebSocketUri, cancellationToken: Ct);
        await alice.BeginSessionAsync("alice@example.com", cancellationToken: Ct);

        var outcome = await alice.SendMessageAsync("decline@example.com", "hi", cancellationToken: Ct);

        Assert.Equal(SendOutcomeKind.Declined, outcome.Kind);   // MessageUpdate declined/terminated
        Assert.Equal("terminated", outcome.Status);
    }

    [Fact]
    public async Task Message_ToSomeoneWhoNeverAnswers_TimesOutWhenTheClockMoves()
    {
        var tenant = fixture.Emulator.NewTenant();
        await using var alice = await BemsClient.ConnectAsync(tenant.WebSocketUri, cancellationToken: Ct);
        await alice.BeginSessionAsync("alice@example.com", cancellationToken: Ct);

        var sending = alice.SendMessageAsync("ignore@example.com", "hello?", cancellationToken: Ct);
        // The invitation waits from the SendMessage's PROCESSING on; then a minute passes on the server's clock.
        await tenant.WaitForFrameAsync(new JournalFilter { Kind = "response", Method = "SendMessage" }, cancellationToken: Ct);
        await fixture.Emulator.AdvanceClockAsync(TimeSpan.FromMinutes(1), Ct);

        var outcome = await sending;
        Assert.Equal(SendOutcomeKind.TimedOut, outcome.Kind);   // MessageUpdate ack/timeout
        Assert.Equal("timeout", outcome.Status);
    }
}
