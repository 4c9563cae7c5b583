using System.Net;
using System.Net.WebSockets;
using BemsServer.Protocol.Admin;
using BemsServer.Protocol.Data;
using BemsServer.Testing;

namespace BemsServer.Client.Tests;

/// <summary>The emulator's typed control plane: each method against the real /admin routes.</summary>
public sealed class ControlPlaneTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private static readonly TimeSpan Bound = EmulatorFixture.Bound;

    [Fact]
    public async Task Journal_WaitForAndQuery_SeeTheTenantsFramesOnly()
    {
        var tenant = fixture.Emulator.NewTenant();
        var other = fixture.Emulator.NewTenant();
        await using var alice = await EmulatorFixture.SignInAsync(tenant, "alice@example.com");
        await using var stranger = await EmulatorFixture.SignInAsync(other, "alice@example.com");

        var sending = alice.SendMessageAsync("echo@example.com", "logged", "m1");
        var complete = await tenant.WaitForFrameAsync(new JournalFilter { Kind = "complete", Method = "SendMessage" }).WaitAsync(Bound);
        await sending;

        complete.Tenant.Should().Be(tenant.Name);
        complete.User.Should().Be("alice@example.com");
        complete.Frame.GetProperty("result").GetProperty("data").GetProperty("chatId").GetString().Should().Be((await sending).ChatId);
        var page = await tenant.GetJournalAsync(new JournalFilter { Direction = "in" }).WaitAsync(Bound);
        page.Entries.Select(e => e.Method).Should().Equal("BeginSession", "SendMessage");
        await tenant.ClearJournalAsync().WaitAsync(Bound);
        (await tenant.GetJournalAsync().WaitAsync(Bound)).Entries.Should().BeEmpty();
    }

    [Fact]
    public async Task Journal_WaitForNothing_ThrowsTimeoutException()
    {
        var tenant = fixture.Emulator.NewTenant();

        var act = () => tenant.WaitForFrameAsync(new JournalFilter { Method = "NeverSent" }, TimeSpan.FromMilliseconds(100)).WaitAsync(Bound);

        await act.Should().ThrowAsync<TimeoutException>();
    }

    [Fact]
    public async Task FaultRule_ErrorOnce_FailsOneCallWithItsCodeAndCountsIt()
    {
        var tenant = fixture.Emulator.NewTenant();
        await using var alice = await EmulatorFixture.SignInAsync(tenant, "alice@example.com");
        var rule = await tenant.AddFaultAsync(new FaultSpec
        {
            Method = "Ping", Action = FaultAction.Error, ErrorCode = -32050, ErrorMessage = "Service unavailable", Times = 1,
        }).WaitAsync(Bound);

        var failed = await FluentActions.Awaiting(() => alice.PingAsync()).Should().ThrowAsync<BemsRpcException>();
        failed.Which.Code.Should().Be(-32050);
        failed.Which.ErrorMessage.Should().Be("Service unavailable");
        (await alice.PingAsync()).Should().Be(86400, "the rule fired once");

        var rules = await tenant.GetFaultsAsync().WaitAsync(Bound);
        rules.Should().ContainSingle().Which.Should().Match<FaultRuleView>(r => r.Id == rule.Id && r.Calls == 2 && r.FiredAt.SequenceEqual(new long[] { 1 }));
        await tenant.RemoveFaultAsync(rule.Id).WaitAsync(Bound);
        (await tenant.GetFaultsAsync().WaitAsync(Bound)).Should().BeEmpty();
    }

    [Fact]
    public async Task FaultRule_MessageUpdateInsteadOfComplete_IsTheSendOutcome()
    {
        var tenant = fixture.Emulator.NewTenant();
        await using var alice = await EmulatorFixture.SignInAsync(tenant, "alice@example.com");
        await tenant.AddFaultAsync(new FaultSpec { Method = "SendMessage", Action = FaultAction.MessageUpdate }).WaitAsync(Bound);

        var outcome = await alice.SendMessageAsync("echo@example.com", "hi", "m1");

        outcome.Kind.Should().Be(SendOutcomeKind.TimedOut);
    }

    [Fact]
    public async Task Inject_SendAsUser_TheOtherSideGetsTheInvitation()
    {
        var tenant = fixture.Emulator.NewTenant();
        await using var bob = await EmulatorFixture.SignInAsync(tenant, "bob@example.com");

        await tenant.SendAsUserAsync("alice@example.com", "bob@example.com", "Hello from the API", "m-1").WaitAsync(Bound);

        var invitation = await bob.WaitForEventAsync<InvitationReceivedData>();
        invitation.ContactId.Should().Be("sip:alice@example.com");
        await bob.AcceptChatAsync(invitation.RequestId);
        (await bob.WaitForEventAsync<MessageReceivedData>()).Message.Should().Be("Hello from the API");
        (await tenant.GetChatsAsync().WaitAsync(Bound)).Should().ContainSingle().Which.Messages.Should().ContainSingle();
    }

    [Fact]
    public async Task Inject_Presence_WatchersGetTheUpdate()
    {
        var tenant = fixture.Emulator.NewTenant();
        await using var alice = await EmulatorFixture.SignInAsync(tenant, "alice@example.com");
        await using var bob = await EmulatorFixture.SignInAsync(tenant, "bob@example.com");
        await alice.RegisterTempRemotePresenceAsync("bob@example.com");
        await alice.WaitForEventAsync<PresenceUpdateData>();

        (await tenant.SetPresenceAsUserAsync("bob@example.com", "away").WaitAsync(Bound)).Outcome.Should().Equal("SetPresence COMPLETE");

        (await alice.WaitForEventAsync<PresenceUpdateData>()).Presence.Should().Be("away");
    }

    [Fact]
    public async Task Users_AddASimulatedUser_AnswersLikeABuiltInOne()
    {
        var tenant = fixture.Emulator.NewTenant();
        await tenant.AddUserAsync(new UserChange("sip:robot@example.com", "Robot", Behavior.Decline)).WaitAsync(Bound);
        await using var alice = await EmulatorFixture.SignInAsync(tenant, "alice@example.com");

        (await alice.SendMessageAsync("robot@example.com", "hi")).Kind.Should().Be(SendOutcomeKind.Declined);
        (await tenant.GetUsersAsync().WaitAsync(Bound)).Should().Contain(u => u.Id == "sip:robot@example.com" && u.Online);
    }

    [Fact]
    public async Task Reset_All_ClosesTheTenantsConnectionsWith1012AndLaterCallsFailAtOnce()
    {
        var tenant = fixture.Emulator.NewTenant();
        await using var alice = await EmulatorFixture.SignInAsync(tenant, "alice@example.com");

        await tenant.ResetAsync().WaitAsync(Bound);

        (await alice.WaitForCloseAsync(Bound)).Should().Be((WebSocketCloseStatus)1012);
        await FluentActions.Awaiting(() => alice.PingAsync()).Should().ThrowAsync<BemsConnectionClosedException>("nothing can answer any more");
    }

    [Fact]
    public async Task Snapshot_ExportThenImport_RestoresUsersAndFaultRules()
    {
        var tenant = fixture.Emulator.NewTenant();
        await tenant.AddUserAsync(new UserChange("sip:robot@example.com", "Robot", Behavior.Echo)).WaitAsync(Bound);
        await tenant.AddFaultAsync(new FaultSpec { Method = "Ping", Action = FaultAction.DropComplete }).WaitAsync(Bound);
        var snapshot = await tenant.GetSnapshotAsync().WaitAsync(Bound);

        var copy = fixture.Emulator.NewTenant();
        await copy.ImportSnapshotAsync(snapshot).WaitAsync(Bound);

        (await copy.GetFaultsAsync().WaitAsync(Bound)).Should().ContainSingle().Which.Rule.Action.Should().Be(FaultAction.DropComplete);
        await using var alice = await EmulatorFixture.SignInAsync(copy, "alice@example.com");
        (await alice.SendMessageAsync("robot@example.com", "hi")).Kind.Should().Be(SendOutcomeKind.Delivered);
        await copy.ResetAsync(trafficOnly: true).WaitAsync(Bound);
        (await copy.GetFaultsAsync().WaitAsync(Bound)).Should().BeEmpty("a traffic reset clears the fault rules");
    }

    [Fact]
    public async Task Clock_SetForwardAndBackward_MovesOnlyForward()
    {
        var now = (await fixture.Emulator.GetClockAsync().WaitAsync(Bound)).Now;

        var moved = await fixture.Emulator.SetClockAsync(now.AddHours(1)).WaitAsync(Bound);
        var back = () => fixture.Emulator.SetClockAsync(now).WaitAsync(Bound);

        moved.Should().Be(new ClockView("virtual", now.AddHours(1)));
        (await back.Should().ThrowAsync<BemsAdminException>()).Which.Status.Should().Be(HttpStatusCode.BadRequest);
    }
}
