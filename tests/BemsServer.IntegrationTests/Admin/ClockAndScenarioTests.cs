using BemsServer.IntegrationTests.Infrastructure;
using System.Net.Http.Json;

namespace BemsServer.IntegrationTests.Admin;

/// <summary>
/// The emulator configured as users run it with <c>Bems:Clock:Mode=Virtual</c>: no test clock is injected, so time only
/// moves through <c>POST /admin/clock/advance</c>.
/// </summary>
public sealed class VirtualClockHost() : BemsHost(new()
{
    ["Bems:Clock:Mode"] = "Virtual",
    ["Bems:Chat:InvitationTimeout"] = "00:01:00",
}, injectClock: false);

/// <summary>The emulator on the system clock, as it runs by default.</summary>
public sealed class SystemClockHost() : BemsHost([], injectClock: false);

/// <summary>On the system clock the clock routes refuse to move it.</summary>
public sealed class SystemClockTests(SystemClockHost host) : IClassFixture<SystemClockHost>
{
    [Fact]
    public async Task ClockRoutes_OnTheSystemClock_ReportSystemAndAnswer409()
    {
        using var admin = AdminApi.For(host);

        (await admin.GetAsync("clock"))["mode"]!.GetValue<string>().Should().Be("system");
        await admin.PostAsync("clock/advance", new { by = "00:01:00" }, System.Net.HttpStatusCode.Conflict);
        await admin.PostAsync("clock/set", new { to = DateTimeOffset.UtcNow.AddDays(1) }, System.Net.HttpStatusCode.Conflict);
    }
}

/// <summary>The virtual clock and scripted users.</summary>
public sealed class ClockAndScenarioTests(VirtualClockHost host) : IClassFixture<VirtualClockHost>
{
    [Fact]
    public async Task VirtualClock_InvitationTimeout_FiresOnlyWhenAdvancedPastIt()
    {
        var uri = host.NewTenant(out _);
        using var admin = new AdminApi(host.BaseAddress);
        await using var alice = await host.SignInAsync(uri, "alice@example.com");
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
        await using var alice = await host.SignInAsync(uri, "alice@example.com");
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
        await using var alice = await host.SignInAsync(uri, "alice@example.com");

        await alice.CallAsync("SendMessage", new { contactId = "robot@example.com", message = "hello robot", messageId = "m-1" });
        await alice.EventAsync("TypingStarted");
        await alice.ExpectNothingPendingAsync();
        await admin.PostAsync("../../clock/advance", new { by = "00:00:30" });

        (await alice.EventAsync("MessageReceived")).Data!["message"]!.GetValue<string>().Should().Be("hi, human");
        var scripted = (await admin.GetAsync("scenarios")).AsArray().Single()!;
        scripted["online"]!.GetValue<bool>().Should().BeFalse("the script's last step took the user offline");
    }
}
