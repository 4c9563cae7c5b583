using BemsServer.Testing;

namespace BemsServer.Client.Tests;

/// <summary>The five lines a user's test writes (the fixed surface), exactly as the README shows them.</summary>
public sealed class FixedSurfaceTests
{
    [Fact]
    public async Task FiveLines_EchoUser_Delivered()
    {
        await using var emulator = await BemsEmulator.StartAsync().WaitAsync(TimeSpan.FromSeconds(60));
        var tenant = emulator.NewTenant();
        await using var alice = await BemsClient.ConnectAsync(tenant.WebSocketUri);
        await alice.BeginSessionAsync("alice@example.com");
        var outcome = await alice.SendMessageAsync("echo@example.com", "hi");

        outcome.Kind.Should().Be(SendOutcomeKind.Delivered);
        outcome.ChatId.Should().NotBeNullOrEmpty();
    }
}
