using BemsServer.IntegrationTests.Infrastructure;

namespace BemsServer.IntegrationTests.Flows;

/// <summary>
/// The common parameter <c>dependencies</c>: a request waits for the listed earlier requests of its connection to finish,
/// and fails with -32020 / -32021 when one failed or is unknown. A waiting request resumes on its connection's
/// one-at-a-time context; these tests also prove that its effects (the COMPLETE) are still released after its PROCESSING.
/// </summary>
public abstract class DependencyContract(BemsHost host)
{
    private static string RequestIdOf(Frame invitation) => invitation.Data!["requestId"]!.GetValue<string>();

    private static void ShouldBeDependencyError(Frame frame, string id, int code, string method, string named)
    {
        FrameAssert.Matches(frame,
            $$$"""{"id":"{{{id}}}","result":null,"error":{"code":{{{code}}},"message":"<string>","data":{"method":"{{{method}}}","param":"dependencies"}},"jsonrpc":"2.0"}""");
        frame.Json["error"]!["message"]!.GetValue<string>().Should().Contain($"'{named}'");
    }

    /// <summary>Alice's SendMessage to Bob, queued behind the invitation it causes; returns its id and the invitation.</summary>
    private static async Task<(string Id, Frame Invitation)> QueuedMessageAsync(WireClient alice, WireClient bob)
    {
        var id = await alice.SendAsync("SendMessage", new { contactId = "bob@example.com", message = "one", messageId = "m-1" });
        FrameAssert.Matches(await alice.NextAsync(),
            $$$"""{"id":"{{{id}}}","error":null,"result":{"data":{"timestamp":"<digits>","method":"SendMessage","state":"PROCESSING"}},"jsonrpc":"2.0","background":false}""");
        return (id, await bob.EventAsync("InvitationReceived"));
    }

    [Fact]
    public async Task Dependencies_OnCompletedRequests_RunAtOnce()
    {
        await using var alice = await host.SignInAsync(host.NewTenant(out _), "alice@example.com");
        var (first, _) = await alice.CallAsync("Ping");
        var sync = await alice.RequestAsync("SetGDAuthToken", new { gdAuthToken = "alice@example.com" });
        sync.State.Should().Be("COMPLETE", "a synchronous answer is final at once");

        var id = await alice.SendAsync("Ping", new { dependencies = $"{first.Id}, {sync.Id}" });

        FrameAssert.Matches(await alice.NextAsync(),
            $$$"""{"id":"{{{id}}}","error":null,"result":{"data":{"sessionTimeout":86400,"method":"Ping","state":"PROCESSING"}},"jsonrpc":"2.0","background":false}""");
        (await alice.NextAsync()).Should().Match<Frame>(f => f.Id == id && f.State == "COMPLETE");
        await alice.ExpectNothingPendingAsync();
    }

    [Fact]
    public async Task Dependencies_OnASendMessageQueuedBehindAnInvitation_WaitUntilTheInviteeAcceptsThenRun()
    {
        var tenant = host.NewTenant(out _);
        await using var alice = await host.SignInAsync(tenant, "alice@example.com");
        await using var bob = await host.SignInAsync(tenant, "bob@example.com");
        var (first, invitation) = await QueuedMessageAsync(alice, bob);

        var second = await alice.SendAsync("SendMessage", new { contactId = "bob@example.com", message = "two", messageId = "m-2", dependencies = first });
        await alice.ExpectNothingPendingAsync(); // no answer to the waiting request, and a later Ping is not held up by it

        await bob.CallAsync("AcceptChat", new { requestId = RequestIdOf(invitation) });

        var completed = await alice.NextAsync();
        completed.Should().Match<Frame>(f => f.Id == first && f.State == "COMPLETE");
        FrameAssert.Matches(await alice.NextAsync(),
            $$$"""{"id":"{{{second}}}","error":null,"result":{"data":{"timestamp":"<digits>","method":"SendMessage","state":"PROCESSING"}},"jsonrpc":"2.0","background":false}""");
        FrameAssert.Matches(await alice.NextAsync(),
            $$$"""{"id":"{{{second}}}","sequence":"<sequence>","result":{"data":{"timestamp":"<digits>","chatId":"{{{RequestIdOf(invitation)}}}","method":"SendMessage","state":"COMPLETE"}},"jsonrpc":"2.0"}""");
        (await bob.EventAsync("MessageReceived")).Data!["message"]!.GetValue<string>().Should().Be("one");
        (await bob.EventAsync("MessageReceived")).Data!["message"]!.GetValue<string>().Should().Be("two");
        await alice.ExpectNothingPendingAsync();
    }

    [Fact]
    public async Task Dependencies_OnASendMessageTheInviteeDeclines_FailWithMinus32020NamingIt_AndSoDoesAChainOnTheWaitingRequest()
    {
        var tenant = host.NewTenant(out _);
        await using var alice = await host.SignInAsync(tenant, "alice@example.com");
        await using var bob = await host.SignInAsync(tenant, "bob@example.com");
        var (first, invitation) = await QueuedMessageAsync(alice, bob);
        var second = await alice.SendAsync("StartTyping", new { contactId = "bob@example.com", chatId = "unknown", dependencies = new[] { first } });
        var third = await alice.SendAsync("Ping", new { dependencies = second });
        await alice.ExpectNothingPendingAsync();

        await bob.CallAsync("DeclineChat", new { requestId = RequestIdOf(invitation) });

        var update = await alice.NextAsync();
        update.Method.Should().Be("MessageUpdate");
        update.Data!["messageId"]!.GetValue<string>().Should().Be("m-1");
        ShouldBeDependencyError(await alice.NextAsync(), second, -32020, "StartTyping", named: first);
        ShouldBeDependencyError(await alice.NextAsync(), third, -32020, "Ping", named: second);
        await alice.ExpectNothingPendingAsync();
    }

    [Fact]
    public async Task Dependencies_OnAnUnknownId_FailAtOnceWithMinus32021()
    {
        await using var alice = await host.SignInAsync(host.NewTenant(out _), "alice@example.com");
        var (ping, _) = await alice.CallAsync("Ping");

        var id = await alice.SendAsync("Ping", new { dependencies = new[] { ping.Id!, "never-sent" } });

        ShouldBeDependencyError(await alice.NextAsync(), id, -32021, "Ping", named: "never-sent");
        await alice.ExpectNothingPendingAsync();
    }

    [Fact]
    public async Task Dependencies_OnAFailedRequest_FailAtOnceWithMinus32020()
    {
        await using var alice = await host.SignInAsync(host.NewTenant(out _), "alice@example.com");
        var refused = await alice.RequestAsync("SendMessage", new { contactId = "bob@example.com" });
        refused.Json["error"]!["code"]!.GetValue<int>().Should().Be(-32602);

        var id = await alice.SendAsync("Ping", new { dependencies = refused.Id });

        ShouldBeDependencyError(await alice.NextAsync(), id, -32020, "Ping", named: refused.Id!);
    }

    [Fact]
    public async Task Dependencies_ArrayAndCommaForms_WaitForEveryPendingId()
    {
        var tenant = host.NewTenant(out _);
        await using var alice = await host.SignInAsync(tenant, "alice@example.com");
        await using var bob = await host.SignInAsync(tenant, "bob@example.com");
        await using var carol = await host.SignInAsync(tenant, "carol@example.com");
        var (toBob, bobInvitation) = await QueuedMessageAsync(alice, bob);
        var toCarol = await alice.SendAsync("SendMessage", new { contactId = "carol@example.com", message = "hi", messageId = "m-c" });
        (await alice.NextAsync()).Id.Should().Be(toCarol);
        var carolInvitation = await carol.EventAsync("InvitationReceived");
        var (done, _) = await alice.CallAsync("Ping");

        var asArray = await alice.SendAsync("Ping", new { dependencies = new[] { done.Id!, toBob, toCarol } });
        var asText = await alice.SendAsync("Ping", new { dependencies = $"{toCarol} ,{done.Id}, {toBob}" });
        await bob.CallAsync("AcceptChat", new { requestId = RequestIdOf(bobInvitation) });
        (await alice.NextAsync()).Should().Match<Frame>(f => f.Id == toBob && f.State == "COMPLETE");
        await alice.ExpectNothingPendingAsync(); // one of the two is still pending: both still wait

        await carol.CallAsync("AcceptChat", new { requestId = RequestIdOf(carolInvitation) });

        (await alice.NextAsync()).Should().Match<Frame>(f => f.Id == toCarol && f.State == "COMPLETE");
        var answers = new[] { await alice.NextAsync(), await alice.NextAsync(), await alice.NextAsync(), await alice.NextAsync() };
        answers.Select(f => (f.Id, f.State)).Should().Equal((asArray, "PROCESSING"), (asArray, "COMPLETE"), (asText, "PROCESSING"), (asText, "COMPLETE"));
    }

    [Fact]
    public async Task Dependencies_NumberIds_AreNamedByTheirText()
    {
        await using var alice = await host.SignInAsync(host.NewTenant(out _), "alice@example.com");
        await alice.SendRawAsync("""{"method":"Ping","params":{},"id":41,"jsonrpc":"2.0"}""");
        (await alice.NextAsync()).Id.Should().Be("41");
        (await alice.NextAsync()).State.Should().Be("COMPLETE");

        await alice.SendRawAsync("""{"method":"Ping","params":{"dependencies":"41"},"id":42,"jsonrpc":"2.0"}""");

        (await alice.NextAsync()).Should().Match<Frame>(f => f.Id == "42" && f.State == "PROCESSING");
    }

    [Fact]
    public async Task Dependencies_NotAStringOrArray_IsInvalidParams()
    {
        await using var alice = await host.SignInAsync(host.NewTenant(out _), "alice@example.com");

        var answer = await alice.RequestAsync("Ping", new { dependencies = 7 });

        answer.Json["error"]!["code"]!.GetValue<int>().Should().Be(-32602);
        answer.Json["error"]!["data"]!["param"]!.GetValue<string>().Should().Be("dependencies");
    }
}

/// <summary>The contract on one node, the in-memory engine.</summary>
public sealed class DependencyTests(BemsHost host) : DependencyContract(host), IClassFixture<BemsHost>;

/// <summary>The contract on two nodes of the Orleans engine, each client on the other node than the one before.</summary>
public sealed class DependencyClusterTests(ClusterHost host) : DependencyContract(host), IClassFixture<ClusterHost>;
