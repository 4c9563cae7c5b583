using BemsServer.Testing;

namespace BemsServer.Client.Tests;

/// <summary>BemsEmulator.StartAsync's options reach the server: configuration values, a seed file, the clock.</summary>
public sealed class EmulatorOptionsTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Start_ConfigurationAndSeedFile_AreTheServers()
    {
        var seed = Path.Combine(Path.GetTempPath(), $"bems-seed-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(seed, """{ "users": [ { "id": "sip:robot@corp.example", "displayName": "Robot", "behavior": "echo" }, { "id": "sip:pat@corp.example" } ] }""");
        try
        {
            var options = new BemsEmulatorOptions { SeedFile = seed };
            options.Configuration["Bems:Session:TimeoutSeconds"] = "42";
            await using var emulator = await BemsEmulator.StartAsync(options).WaitAsync(Bound);
            await using var pat = await EmulatorFixture.SignInAsync(emulator.NewTenant(), "pat@corp.example");

            (await pat.PingAsync()).Should().Be(42);
            (await pat.SendMessageAsync("robot@corp.example", "hi")).Kind.Should().Be(SendOutcomeKind.Delivered);
            var unknown = () => pat.SendMessageAsync("echo@example.com", "hi");
            (await unknown.Should().ThrowAsync<BemsRpcException>("the built-in users are not in this seed")).Which.Code
                .Should().Be(BemsServer.Protocol.ErrorCodes.UnknownContact);
        }
        finally
        {
            File.Delete(seed);
        }
    }

    [Fact]
    public async Task Start_Default_SystemClockRefusesToAdvance()
    {
        await using var emulator = await BemsEmulator.StartAsync().WaitAsync(Bound);

        (await emulator.GetClockAsync().WaitAsync(Bound)).Mode.Should().Be("system");
        var act = () => emulator.AdvanceClockAsync(TimeSpan.FromMinutes(1)).WaitAsync(Bound);
        (await act.Should().ThrowAsync<BemsAdminException>()).Which.Status.Should().Be(System.Net.HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Tenants_FromOneEmulator_NeverSeeEachOther()
    {
        await using var emulator = await BemsEmulator.StartAsync().WaitAsync(Bound);
        var first = emulator.NewTenant();
        var second = emulator.NewTenant();
        await using var alice = await EmulatorFixture.SignInAsync(first, "alice@example.com");

        first.WebSocketUri.Should().NotBe(second.WebSocketUri);
        (await second.GetSessionsAsync().WaitAsync(Bound)).Where(s => !s.Simulated).Should().BeEmpty();
        (await first.GetSessionsAsync().WaitAsync(Bound)).Should().Contain(s => s.User == "sip:alice@example.com");
    }
}
