using BemsServer.IntegrationTests.Infrastructure;

namespace BemsServer.IntegrationTests.Flows;

/// <summary>One-to-one chat between real clients over real sockets.</summary>
public abstract class ChatFlowContract(BemsHost host)
{
    private static string RequestIdOf(Frame invitation) => invitation.Data!["requestId"]!.GetValue<string>();

    [Fact]
    public async Task MessageAck_OfAMessageGivenToAnotherUser_IsRefusedAsUnknown_TheRecipientsAckIsAccepted()
    {
        var tenant = host.NewTenant(out _);
        await using var alice = await host.SignInAsync(tenant, "alice@example.com");
        await using var bob = await host.SignInAsync(tenant, "bob@example.com");
        await alice.CallAsync("SendMessage", new { contactId = "echo@example.com", message = "ping", messageId = "m-1" });
        var echoed = (await alice.EventAsync("MessageReceived")).Data!["messageId"]!.GetValue<string>();

        var foreign = await bob.SendAsync("MessageAck", new { messageId = echoed, status = "delivered" });

        FrameAssert.Matches(await bob.NextAsync(), $$$"""
            {"id":"{{{foreign}}}","result":null,"error":{"code":-32004,"message":"No message {{{echoed}}} was delivered to you by this server.",
             "data":{"method":"MessageAck","param":"messageId"}},"jsonrpc":"2.0"}
            """);
        await alice.CallAsync("MessageAck", new { messageId = echoed, status = "delivered" });
    }

    [Fact]
    public async Task Chat_InviteAcceptMessageAckTypingEnd_EachPartySeesItsFramesInOrder()
    {
        var tenant = host.NewTenant(out _);
        await using var alice = await host.SignInAsync(tenant, "alice@example.com");
        await using var bob = await host.SignInAsync(tenant, "bob@example.com");

        var start = await alice.SendAsync("StartChat", new { contactId = "sip:bob@example.com" });
        (await alice.NextAsync()).State.Should().Be("PROCESSING");
        var started = await alice.NextAsync();
        started.Id.Should().Be(start);
        var chatId = started.Data!["requestIds"]!.GetValue<string>();

        var invitation = await bob.NextAsync();
        invitation.Method.Should().Be("InvitationReceived");
        RequestIdOf(invitation).Should().Be(chatId);
        invitation.Data!["contactId"]!.GetValue<string>().Should().Be("sip:alice@example.com");

        var (_, accepted) = await bob.CallAsync("AcceptChat", new { requestId = chatId });
        accepted.Data!["chatId"]!.GetValue<string>().Should().Be(chatId);
        var update = await alice.NextAsync();
        update.Method.Should().Be("InvitationUpdate");
        update.Data!["status"]!.GetValue<string>().Should().Be("Accepted");

        var send = await alice.SendAsync("SendMessage", new { contactId = "bob@example.com", message = "Hello Bob", messageId = "m-1" });
        (await alice.NextAsync()).Id.Should().Be(send);
        var complete = await alice.NextAsync();
        complete.Id.Should().Be(send);
        complete.State.Should().Be("COMPLETE");
        complete.Data!["chatId"]!.GetValue<string>().Should().Be(chatId);

        var received = await bob.NextAsync();
        received.Method.Should().Be("MessageReceived");
        received.Data!["message"]!.GetValue<string>().Should().Be("Hello Bob");
        received.Data!["chatId"]!.GetValue<string>().Should().Be(chatId);
        await bob.CallAsync("MessageAck", new { messageId = received.Data!["messageId"]!.GetValue<string>(), status = "delivered" });

        await bob.CallAsync("StartTyping", new { contactId = "sip:alice@example.com", chatId });
        var typing = await alice.NextAsync();
        typing.Method.Should().Be("TypingStarted");
        typing.Data!["contactId"]!.GetValue<string>().Should().Be("sip:bob@example.com");
        await bob.CallAsync("StopTyping", new { contactId = "alice@example.com", chatId = "not-the-chat-id" });
        (await alice.NextAsync()).Method.Should().Be("TypingStopped", "a wrong chatId with a right contactId still succeeds");

        await alice.CallAsync("EndChat", new { contactId = "bob@example.com" });
        var ended = await bob.NextAsync();
        ended.Method.Should().Be("ChatEnded");
        ended.Data!["chatId"]!.GetValue<string>().Should().Be(chatId);

        var again = await alice.SendAsync("SendMessage", new { contactId = "bob@example.com", message = "again", messageId = "m-2" });
        RequestIdOf(await bob.EventAsync("InvitationReceived")).Should().NotBe(chatId, "after EndChat a new message invites again");
        (await alice.NextAsync()).Id.Should().Be(again);
        await alice.ExpectNothingPendingAsync();
    }

    [Fact]
    public async Task SendMessage_RecipientDeclines_EveryQueuedMessageGetsExactlyOneMessageUpdate()
    {
        var tenant = host.NewTenant(out _);
        await using var alice = await host.SignInAsync(tenant, "alice@example.com");
        await using var bob = await host.SignInAsync(tenant, "bob@example.com");

        var first = await alice.SendAsync("SendMessage", new { contactId = "bob@example.com", message = "one", messageId = "m-1" });
        var second = await alice.SendAsync("SendMessage", new { contactId = "bob@example.com", message = "two", messageId = "m-2" });
        // A PROCESSING response means the message is queued: decline only after both are.
        (await alice.NextAsync()).Id.Should().Be(first);
        (await alice.NextAsync()).Id.Should().Be(second);
        var invitation = await bob.EventAsync("InvitationReceived");
        await bob.CallAsync("DeclineChat", new { requestId = RequestIdOf(invitation) });

        var updates = new[] { await alice.EventAsync("MessageUpdate"), await alice.EventAsync("MessageUpdate") };
        updates.Select(u => u.Data!["messageId"]!.GetValue<string>()).Should().Equal("m-1", "m-2");
        updates.Should().AllSatisfy(u =>
        {
            u.Data!["type"]!.GetValue<string>().Should().Be("declined");
            u.Data!["status"]!.GetValue<string>().Should().Be("terminated");
        });
        alice.History.Should().NotContain(f => (f.Id == first || f.Id == second) && f.State == "COMPLETE");
        await alice.ExpectNothingPendingAsync();
        await bob.ExpectNothingPendingAsync();
    }

    [Fact]
    public async Task SendMessage_NoAnswer_TimesOutOnlyWhenTheClockPassesTheInvitationTimeout()
    {
        var tenant = host.NewTenant(out _);
        await using var alice = await host.SignInAsync(tenant, "alice@example.com");
        await using var bob = await host.SignInAsync(tenant, "bob@example.com");

        var send = await alice.SendAsync("SendMessage", new { contactId = "bob@example.com", message = "hello?", messageId = "m-1" });
        (await alice.NextAsync()).Id.Should().Be(send);
        await bob.EventAsync("InvitationReceived");

        host.Clock.Advance(TimeSpan.FromSeconds(59));
        await alice.ExpectNothingPendingAsync();

        host.Clock.Advance(TimeSpan.FromSeconds(1));
        var update = await alice.NextAsync();
        update.Method.Should().Be("MessageUpdate");
        update.Data!["type"]!.GetValue<string>().Should().Be("ack");
        update.Data!["status"]!.GetValue<string>().Should().Be("timeout");
        update.Data!["contactIds"]!.AsArray().Select(c => c!.GetValue<string>()).Should().Equal("sip:bob@example.com");
        (await bob.EventAsync("ChatEnded")).Data!["contactId"]!.GetValue<string>().Should().Be("sip:alice@example.com");

        var late = await bob.RequestAsync("AcceptChat", new { requestId = Guid.Empty.ToString() });
        late.Json["error"]!["code"]!.GetValue<int>().Should().Be(-32004);
        await alice.ExpectNothingPendingAsync();
    }

    [Fact]
    public async Task SendMessage_WhileInvitationPending_DeliveredInOrderAfterAcceptanceEachWithItsOwnComplete()
    {
        var tenant = host.NewTenant(out _);
        await using var alice = await host.SignInAsync(tenant, "alice@example.com");
        await using var bob = await host.SignInAsync(tenant, "bob@example.com");

        var ids = new List<string>();
        for (var i = 1; i <= 3; i++)
            ids.Add(await alice.SendAsync("SendMessage", new { contactId = "bob@example.com", message = $"text {i}", messageId = $"m-{i}" }));
        var invitation = await bob.EventAsync("InvitationReceived");
        await alice.WaitForAsync(f => f.Id == ids[^1] && f.State == "PROCESSING", "last PROCESSING");
        alice.Pending().Should().NotContain(f => f.State == "COMPLETE", "nothing is delivered before acceptance");

        await bob.CallAsync("AcceptChat", new { requestId = RequestIdOf(invitation) });

        for (var i = 1; i <= 3; i++)
            (await bob.EventAsync("MessageReceived")).Data!["message"]!.GetValue<string>().Should().Be($"text {i}");
        foreach (var id in ids)
            (await alice.WaitForAsync(f => f.Id == id && f.State == "COMPLETE", $"COMPLETE of {id}")).Data!["chatId"]!
                .GetValue<string>().Should().Be(RequestIdOf(invitation));
        alice.History.Where(f => f.State == "COMPLETE" && f.Method == "SendMessage").Select(f => f.Id).Should().Equal(ids);
    }

    [Fact]
    public async Task Events_UserWithTwoDevices_ReachBothSessions()
    {
        var tenant = host.NewTenant(out _);
        await using var alice = await host.SignInAsync(tenant, "alice@example.com");
        await using var phone = await host.SignInAsync(tenant, "bob@example.com");
        await using var tablet = await host.SignInAsync(tenant, "sip:BOB@example.com");

        await alice.SendAsync("SendMessage", new { contactId = "bob@example.com", message = "both?", messageId = "m-1" });
        var onPhone = await phone.EventAsync("InvitationReceived");
        var onTablet = await tablet.EventAsync("InvitationReceived");
        RequestIdOf(onTablet).Should().Be(RequestIdOf(onPhone));

        await tablet.CallAsync("AcceptChat", new { requestId = RequestIdOf(onTablet) });

        (await phone.EventAsync("MessageReceived")).Data!["message"]!.GetValue<string>().Should().Be("both?");
        (await tablet.EventAsync("MessageReceived")).Data!["message"]!.GetValue<string>().Should().Be("both?");
        await alice.WaitForAsync(f => f.State == "COMPLETE" && f.Data!["method"]!.GetValue<string>() == "SendMessage", "COMPLETE");
    }

    [Fact]
    public async Task SendMessage_ThreeUsers_EachMessageReachesOnlyItsRecipient()
    {
        var tenant = host.NewTenant(out _);
        await using var alice = await host.SignInAsync(tenant, "alice@example.com");
        await using var bob = await host.SignInAsync(tenant, "bob@example.com");
        await using var carol = await host.SignInAsync(tenant, "carol@example.com");

        await alice.SendAsync("SendMessage", new { contactId = "bob@example.com", message = "for bob", messageId = "m-b" });
        await alice.SendAsync("SendMessage", new { contactId = "carol@example.com", message = "for carol", messageId = "m-c" });
        await bob.CallAsync("AcceptChat", new { requestId = RequestIdOf(await bob.EventAsync("InvitationReceived")) });
        await carol.CallAsync("AcceptChat", new { requestId = RequestIdOf(await carol.EventAsync("InvitationReceived")) });

        (await bob.EventAsync("MessageReceived")).Data!["message"]!.GetValue<string>().Should().Be("for bob");
        (await carol.EventAsync("MessageReceived")).Data!["message"]!.GetValue<string>().Should().Be("for carol");
        await bob.ExpectNothingPendingAsync();
        await carol.ExpectNothingPendingAsync();
    }

    [Fact]
    public async Task SendMessage_RecipientNotSignedIn_EndsAtOnceInMessageUpdateAckTimeout()
    {
        await using var alice = await host.SignInAsync(host.NewTenant(out _), "alice@example.com");

        var send = await alice.SendAsync("SendMessage", new { contactId = "carol@example.com", message = "anyone?", messageId = "m-1" });

        (await alice.NextAsync()).Id.Should().Be(send);
        var update = await alice.NextAsync();
        update.Method.Should().Be("MessageUpdate");
        update.Data!["status"]!.GetValue<string>().Should().Be("timeout");
    }

    [Fact]
    public async Task SendMessage_AnsweringAnInvitationWithAMessage_AcceptsIt()
    {
        var tenant = host.NewTenant(out _);
        await using var alice = await host.SignInAsync(tenant, "alice@example.com");
        await using var bob = await host.SignInAsync(tenant, "bob@example.com");
        var first = await alice.SendAsync("SendMessage", new { contactId = "bob@example.com", message = "hi", messageId = "m-1" });
        await bob.EventAsync("InvitationReceived");

        await bob.CallAsync("SendMessage", new { contactId = "alice@example.com", message = "hi back", messageId = "r-1" });

        (await bob.EventAsync("MessageReceived")).Data!["message"]!.GetValue<string>().Should().Be("hi");
        (await alice.EventAsync("MessageReceived")).Data!["message"]!.GetValue<string>().Should().Be("hi back");
        await alice.WaitForAsync(f => f.Id == first && f.State == "COMPLETE", "COMPLETE of the first message");
    }

    [Fact]
    public async Task StartChat_PeerDeclinesOrIgnores_InviterHearsInvitationUpdate()
    {
        var tenant = host.NewTenant(out _);
        await using var alice = await host.SignInAsync(tenant, "alice@example.com");
        await using var bob = await host.SignInAsync(tenant, "bob@example.com");
        await using var carol = await host.SignInAsync(tenant, "carol@example.com");

        await alice.CallAsync("StartChat", new { contactId = "bob@example.com" });
        await bob.CallAsync("DeclineChat", new { requestId = RequestIdOf(await bob.EventAsync("InvitationReceived")) });
        (await alice.EventAsync("InvitationUpdate")).Data!["status"]!.GetValue<string>().Should().Be("Declined");

        await alice.CallAsync("StartChat", new { contactId = "carol@example.com" });
        await carol.EventAsync("InvitationReceived");
        host.Clock.Advance(TimeSpan.FromMinutes(1));
        var expired = await alice.EventAsync("InvitationUpdate");
        expired.Data!["status"]!.GetValue<string>().Should().Be("Expired");
        expired.Data!["contactId"]!.GetValue<string>().Should().Be("sip:carol@example.com");
    }
}

/// <summary>The contract on one node, the in-memory engine.</summary>
public sealed class ChatFlowTests(BemsHost host) : ChatFlowContract(host), IClassFixture<BemsHost>;

/// <summary>The contract on two nodes of the Orleans engine, each client on the other node than the one before.</summary>
public sealed class ChatFlowClusterTests(ClusterHost host) : ChatFlowContract(host), IClassFixture<ClusterHost>;
