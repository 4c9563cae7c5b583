using System.Net.WebSockets;
using BemsServer.IntegrationTests.Infrastructure;

namespace BemsServer.IntegrationTests.Admin;

/// <summary>Fault rules: each action and each firing mode, over real sockets.</summary>
public abstract class FaultContract(BemsHost host)
{
    private async Task<(AdminApi Admin, WireClient Alice)> SetUpAsync(object rule)
    {
        var uri = host.NewTenant(out var name);
        var admin = AdminApi.For(host, name);
        await admin.AddFaultAsync(rule);
        return (admin, await host.SignInAsync(uri, "alice@example.com"));
    }

    private static async Task<bool> PingFailsAsync(WireClient client)
    {
        var answer = await client.RequestAsync("Ping");
        if (answer.Json["error"] is not null && answer.Json["result"] is null) return true;
        await client.WaitForAsync(f => f.Id == answer.Id && f.State == "COMPLETE", "Ping COMPLETE");
        return false;
    }

    [Fact]
    public async Task Error_AnswersWithTheGivenJsonRpcError()
    {
        var (admin, alice) = await SetUpAsync(new { method = "SendMessage", action = "error", errorCode = -32050, errorMessage = "Service unavailable" });
        using var _ = admin;
        await using var __ = alice;

        var answer = await alice.RequestAsync("SendMessage", new { contactId = "echo@example.com", message = "x", messageId = "m-1" });

        FrameAssert.Matches(answer, $$$"""{"id":"{{{answer.Id}}}","result":null,"error":{"code":-32050,"message":"Service unavailable","data":{"method":"SendMessage"}},"jsonrpc":"2.0"}""");
        await alice.ExpectNothingPendingAsync();
    }

    [Fact]
    public async Task DelayProcessing_HoldsTheResponseUntilTheServerClockAdvances()
    {
        var (admin, alice) = await SetUpAsync(new { method = "SendMessage", action = "delayProcessing", delay = "00:00:05" });
        using var _ = admin;
        await using var __ = alice;
        await using var bob = await host.SignInAsync(host.TenantUri(NameOf(admin)), "bob@example.com");
        var started = host.Clock.GetUtcNow();

        var id = await alice.SendAsync("SendMessage", new { contactId = "bob@example.com", message = "x", messageId = "m-1" });
        await bob.EventAsync("InvitationReceived"); // the handler ran: its response is being held
        alice.Pending().Should().BeEmpty();
        host.Clock.Advance(TimeSpan.FromSeconds(5));

        var response = await alice.NextAsync();
        response.Id.Should().Be(id);
        response.State.Should().Be("PROCESSING");
        await WrittenNotBeforeAsync(admin, $"answers={id}&kind=response", started + TimeSpan.FromSeconds(5));
    }

    /// <summary>The journal stamps frames with the server clock as they are written: proof of a delay on that clock.</summary>
    private static async Task WrittenNotBeforeAsync(AdminApi admin, string filter, DateTimeOffset earliest)
    {
        var journaled = await admin.GetAsync($"journal/wait?{filter}");
        DateTimeOffset.Parse(journaled["time"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture).Should().BeOnOrAfter(earliest);
    }

    [Fact]
    public async Task DelayComplete_HoldsTheCompleteForTheDelayOnTheServerClock()
    {
        var (admin, alice) = await SetUpAsync(new { method = "Ping", action = "delayComplete", delay = "00:00:07" });
        using var _ = admin;
        await using var __ = alice;
        var started = host.Clock.GetUtcNow();

        var id = await alice.SendAsync("Ping");
        (await alice.NextAsync()).State.Should().Be("PROCESSING");
        alice.Pending().Should().BeEmpty();
        host.Clock.Advance(TimeSpan.FromSeconds(7));
        (await alice.NextAsync()).State.Should().Be("COMPLETE");

        await WrittenNotBeforeAsync(admin, $"answers={id}&kind=complete", started + TimeSpan.FromSeconds(7));
    }

    [Fact]
    public async Task DropComplete_TheCompleteNeverComes()
    {
        var (admin, alice) = await SetUpAsync(new { method = "Ping", action = "dropComplete", times = 1 });
        using var _ = admin;
        await using var __ = alice;

        var id = await alice.SendAsync("Ping");
        (await alice.NextAsync()).State.Should().Be("PROCESSING");
        await alice.ExpectNothingPendingAsync();

        alice.History.Should().NotContain(f => f.Id == id && f.State == "COMPLETE");
    }

    [Fact]
    public async Task MessageUpdate_ReplacesTheComplete()
    {
        var (admin, alice) = await SetUpAsync(new { method = "SendMessage", action = "messageUpdate", updateType = "declined", updateStatus = "terminated" });
        using var _ = admin;
        await using var __ = alice;

        var id = await alice.SendAsync("SendMessage", new { contactId = "echo@example.com", message = "x", messageId = "m-7" });
        (await alice.NextAsync()).State.Should().Be("PROCESSING");
        var update = await alice.NextAsync();

        FrameAssert.Matches(update, """{"id":"<s-id>","error":{"data":{"type":"declined","status":"terminated","contactIds":["sip:echo@example.com"],"messageId":"m-7","method":"MessageUpdate"}},"jsonrpc":"2.0"}""");
        await alice.EventAsync("MessageReceived"); // the message itself still went through: only the outcome was changed
        alice.History.Should().NotContain(f => f.Id == id && f.State == "COMPLETE");
    }

    [Fact]
    public async Task Close_ClosesTheSocketWithTheGivenCode()
    {
        var (admin, alice) = await SetUpAsync(new { method = "StartChat", action = "close", closeCode = 4500, closeReason = "injected" });
        using var _ = admin;
        await using var __ = alice;

        await alice.SendAsync("StartChat", new { contactId = "bob@example.com" });

        (await alice.WaitForCloseAsync()).Should().Be((WebSocketCloseStatus)4500);
    }

    [Theory]
    [InlineData(1, null, "FTTT")]
    [InlineData(2, null, "FFTT")]
    [InlineData(null, null, "FFFF")]
    [InlineData(null, 2, "TFTT")]
    public async Task Firing_OnceNTimesAlwaysNth_FiresOnTheExpectedCalls(int? times, int? nth, string expected)
    {
        var (admin, alice) = await SetUpAsync(new { method = "Ping", action = "error", times, nth });
        using var _ = admin;
        await using var __ = alice;

        var outcomes = "";
        for (var i = 0; i < 4; i++) outcomes += await PingFailsAsync(alice) ? "F" : "T";

        outcomes.Should().Be(expected);
    }

    [Fact]
    public async Task Probability_SameSeedTwice_ReplaysExactly()
    {
        async Task<(string Outcomes, string FiredAt)> RunAsync()
        {
            var (admin, alice) = await SetUpAsync(new { method = "Ping", action = "error", probability = 0.5, seed = 1234 });
            using var _ = admin;
            await using var __ = alice;
            var outcomes = "";
            for (var i = 0; i < 16; i++) outcomes += await PingFailsAsync(alice) ? "F" : "T";
            var rule = (await admin.GetAsync("faults")).AsArray().Single()!;
            return (outcomes, rule["firedAt"]!.ToJsonString());
        }

        var first = await RunAsync();
        var second = await RunAsync();

        second.Should().Be(first);
        first.Outcomes.Should().Contain("F").And.Contain("T");
    }

    [Fact]
    public async Task Rules_ListedAndRemoved_RemovedRuleNoLongerFires()
    {
        var (admin, alice) = await SetUpAsync(new { method = "Ping", action = "error", user = "sip:alice@example.com" });
        using var _ = admin;
        await using var __ = alice;
        var id = (await admin.GetAsync("faults")).AsArray().Single()!["id"]!.GetValue<string>();
        (await PingFailsAsync(alice)).Should().BeTrue();

        await admin.DeleteAsync($"faults/{id}");

        (await admin.GetAsync("faults")).AsArray().Should().BeEmpty();
        (await PingFailsAsync(alice)).Should().BeFalse();
    }

    private static string NameOf(AdminApi admin) => admin.Prefix.Split('/')[2];
}

/// <summary>The contract on one node, the in-memory engine.</summary>
public sealed class FaultTests(BemsHost host) : FaultContract(host), IClassFixture<BemsHost>;

/// <summary>The contract on two nodes of the Orleans engine, each client on the other node than the one before.</summary>
public sealed class FaultClusterTests(ClusterHost host) : FaultContract(host), IClassFixture<ClusterHost>;
