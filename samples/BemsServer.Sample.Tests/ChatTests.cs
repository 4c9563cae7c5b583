using BemsServer.Client;
using BemsServer.Protocol.Admin;
using BemsServer.Testing;

namespace BemsServer.Sample.Tests;

/// <summary>One emulator for the class, on a virtual clock; each test takes a fresh tenant.</summary>
public sealed class EmulatorFixture : IAsyncLifetime
{
    public BemsEmulator Emulator { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Emulator = await BemsEmulator.StartAsync(new BemsEmulatorOptions { VirtualClock = true }).WaitAsync(TimeSpan.FromSeconds(60));

    public async Task DisposeAsync() => await Emulator.DisposeAsync();
}

public sealed class ChatTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    [Fact]
    public async Task FiveLines_EchoUser_Delivered()
    {
        await using var emulator = await BemsEmulator.StartAsync();
        var tenant = emulator.NewTenant();
        await using var alice = await BemsClient.ConnectAsync(tenant.WebSocketUri);
        await alice.BeginSessionAsync("alice@example.com");
        var outcome = await alice.SendMessageAsync("echo@example.com", "hi");

        Assert.Equal(SendOutcomeKind.Delivered, outcome.Kind);
    }

    [Fact]
    public async Task Message_ToDecline_Declined()
    {
        await using var alice = await BemsClient.ConnectAsync(fixture.Emulator.NewTenant().WebSocketUri);
        await alice.BeginSessionAsync("alice@example.com");

        Assert.Equal(SendOutcomeKind.Declined, (await alice.SendMessageAsync("decline@example.com", "hi")).Kind);
    }

    [Fact]
    public async Task Message_ToSomeoneWhoNeverAnswers_TimesOutWhenTheClockMoves()
    {
        var tenant = fixture.Emulator.NewTenant();
        await using var alice = await BemsClient.ConnectAsync(tenant.WebSocketUri);
        await alice.BeginSessionAsync("alice@example.com");

        var sending = alice.SendMessageAsync("ignore@example.com", "hello?");
        await tenant.WaitForFrameAsync(new JournalFilter { Kind = "response", Method = "SendMessage" }).WaitAsync(TimeSpan.FromSeconds(20));
        await fixture.Emulator.AdvanceClockAsync(TimeSpan.FromMinutes(1)).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(SendOutcomeKind.TimedOut, (await sending).Kind);
    }
}

/// <summary>
/// Against a server started outside the test (the bems-server tool): BEMS_SERVER_URL names its WebSocket address.
/// .ci/packages.sh runs this class alone, with the variable set.
/// </summary>
[Trait("Category", "ExternalServer")]
public sealed class ExternalServerTests
{
    [Fact]
    public async Task BeginSession_AgainstTheRunningServer_Completes()
    {
        var url = Environment.GetEnvironmentVariable("BEMS_SERVER_URL")
            ?? throw new InvalidOperationException("Set BEMS_SERVER_URL to the server's WebSocket address, e.g. ws://127.0.0.1:8080/.");
        await using var alice = await BemsClient.ConnectAsync(new Uri(url));

        await alice.BeginSessionAsync("alice@example.com");

        Assert.Equal(86400, await alice.PingAsync());
    }
}
