using BemsServer.Hosting;
using BemsServer.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using System.Net.Http.Json;

namespace BemsServer.IntegrationTests.Admin;

/// <summary>
/// The emulator configured as users run it with <c>Bems:Clock:Mode=Virtual</c>: no test clock is injected, so time only
/// moves through <c>POST /admin/clock/advance</c>.
/// </summary>
public sealed class VirtualClockHost : IAsyncLifetime
{
    private WebApplication? _app;

    public Uri BaseAddress { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _app = BemsApp.Build(["--urls", "http://127.0.0.1:0", "--Serilog:MinimumLevel:Default", "Warning",
            "--Bems:Clock:Mode", "Virtual", "--Bems:Chat:InvitationTimeout", "00:01:00"]);
        await _app.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
        BaseAddress = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    public Uri NewTenant(out string name)
    {
        name = "v" + Guid.NewGuid().ToString("N")[..12];
        return new Uri($"ws://{BaseAddress.Authority}/t/{name}/");
    }

    public async Task DisposeAsync()
    {
        if (_app is null) return;
        await _app.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await _app.DisposeAsync();
    }
}

/// <summary>The virtual clock and scripted users.</summary>
public sealed class ClockAndScenarioTests(VirtualClockHost host) : IClassFixture<VirtualClockHost>
{
    private async Task<WireClient> SignInAsync(Uri uri, string user)
    {
        var client = await WireClient.ConnectAsync(uri);
        await client.CallAsync("BeginSession", new { gdAuthToken = user });
        return client;
    }

    [Fact]
    public async Task VirtualClock_InvitationTimeout_FiresOnlyWhenAdvancedPastIt()
    {
        var uri = host.NewTenant(out _);
        using var admin = new AdminApi(host.BaseAddress);
        await using var alice = await SignInAsync(uri, "alice@example.com");
        (await admin.GetAsync("clock"))["mode"]!.GetValue<string>().Should().Be("virtual");

        await alice.CallAsync("StartChat", new { contactId = "ignore@example.com" });
        await admin.PostAsync("clock/advance", new { by = "00:00:59" });
        await alice.ExpectNothingPendingAsync();
        await admin.PostAsync("clock/advance", new { by = "00:00:01" });

        var update = await alice.EventAsync("InvitationUpdate");
        update.Data!["status"]!.GetValue<string>().Should().Be("Expired");
    }

    [Fact]
    public async Task ClockSet_ToAnInstantPastTheTimeout_MovesNowThereAndFiresTheTimeout()
    {
        var uri = host.NewTenant(out _);
        using var admin = new AdminApi(host.BaseAddress);
        await using var alice = await SignInAsync(uri, "alice@example.com");
        await alice.CallAsync("StartChat", new { contactId = "ignore@example.com" });
        var now = (await admin.GetAsync("clock"))["now"]!.GetValue<DateTimeOffset>();

        var set = await admin.PostAsync("clock/set", new { to = now.AddMinutes(1) });

        set["now"]!.GetValue<DateTimeOffset>().Should().Be(now.AddMinutes(1));
        (await alice.EventAsync("InvitationUpdate")).Data!["status"]!.GetValue<string>().Should().Be("Expired");
    }

    [Fact]
    public async Task ClockSet_IntoThePast_Answers400AndLeavesTheClock()
    {
        using var admin = new AdminApi(host.BaseAddress);
        var now = (await admin.GetAsync("clock"))["now"]!.GetValue<DateTimeOffset>();

        await admin.PostAsync("clock/set", new { to = now.AddSeconds(-1) }, System.Net.HttpStatusCode.BadRequest);

        (await admin.GetAsync("clock"))["now"]!.GetValue<DateTimeOffset>().Should().Be(now);
    }

    [Fact]
    public async Task Scenario_OnInvitationAndMessage_PlaysItsStepsOnTheClock()
    {
        var uri = host.NewTenant(out var name);
        using var admin = new AdminApi(host.BaseAddress, name);
        await admin.PostAsync("users", new { id = "robot@example.com", displayName = "Robot" }, System.Net.HttpStatusCode.Created);
        await admin.Http.PutAsJsonAsync($"admin/t/{name}/users/robot@example.com/scenario", new
        {
            on = new object[]
            {
                new { @event = "invitation", steps = new object[] { new { @do = "accept" } } },
                new { @event = "message", pattern = "^hello", steps = new object[]
                {
                    new { @do = "typing" }, new { @do = "wait", delay = "00:00:30" }, new { @do = "reply", text = "hi, human" }, new { @do = "offline" },
                } },
            },
        });
        await using var alice = await SignInAsync(uri, "alice@example.com");

        await alice.CallAsync("SendMessage", new { contactId = "robot@example.com", message = "hello robot", messageId = "m-1" });
        await alice.EventAsync("TypingStarted");
        await alice.ExpectNothingPendingAsync();
        await admin.PostAsync("../../clock/advance", new { by = "00:00:30" });

        (await alice.EventAsync("MessageReceived")).Data!["message"]!.GetValue<string>().Should().Be("hi, human");
        var scripted = (await admin.GetAsync("scenarios")).AsArray().Single()!;
        scripted["online"]!.GetValue<bool>().Should().BeFalse("the script's last step took the user offline");
    }
}
