using System.Text.Json.Nodes;
using BemsServer.IntegrationTests.Infrastructure;

namespace BemsServer.IntegrationTests.Wire;

/// <summary>
/// Sends the documentation's sample requests as raw text and compares whole frames with its samples (server-chosen values
/// as typed placeholders): ids, <c>"error":null</c>, <c>background</c>, <c>sequence</c> type, field names and JSON types.
/// </summary>
public sealed class SpecSampleWireTests(BemsHost host) : IClassFixture<BemsHost>
{
    [Fact]
    public async Task SendMessage_SampleRequest_AnswersProcessingThenCompleteAsDocumented()
    {
        var tenant = host.NewTenant(out _);
        await using var user1 = await host.SignInAsync(tenant, "user1@example.com");
        await using var me = await host.SignInAsync(tenant, "me@example.com");

        await me.SendRawAsync(SpecSamples.Request("SendMessage"));
        FrameAssert.Matches(await me.NextAsync(), SpecSamples.Template(SpecSamples.Response("SendMessage")));

        var invitation = await user1.EventAsync("InvitationReceived");
        await user1.CallAsync("AcceptChat", new { requestId = invitation.Data!["requestId"]!.GetValue<string>() });

        var complete = await me.NextAsync();
        FrameAssert.Matches(complete, SpecSamples.Template(SpecSamples.Completion("SendMessage")));
        complete.Data!["chatId"]!.GetValue<string>().Should().Be(invitation.Data!["requestId"]!.GetValue<string>());
    }

    [Fact]
    public async Task SendMessage_InvitationTimesOut_MessageUpdateAckTimeoutAsDocumented()
    {
        var tenant = host.NewTenant(out _);
        await using var user1 = await host.SignInAsync(tenant, "user1@example.com");
        await using var me = await host.SignInAsync(tenant, "me@example.com");

        await me.SendRawAsync(SpecSamples.Request("SendMessage"));
        await me.NextAsync();
        await user1.EventAsync("InvitationReceived");
        host.Clock.Advance(TimeSpan.FromSeconds(60));

        var expected = SpecSamples.WithErrorData("SendMessage").Single(s => s.Contains("\"timeout\"", StringComparison.Ordinal));
        FrameAssert.Matches(await me.NextAsync(), SpecSamples.Template(expected));
    }

    [Fact]
    public async Task SendMessage_RecipientDeclines_MessageUpdateDeclinedTerminatedAsDocumented()
    {
        var tenant = host.NewTenant(out _);
        await using var user1 = await host.SignInAsync(tenant, "user1@example.com");
        await using var me = await host.SignInAsync(tenant, "me@example.com");

        await me.SendRawAsync(SpecSamples.Request("SendMessage"));
        await me.NextAsync();
        var invitation = await user1.EventAsync("InvitationReceived");
        await user1.CallAsync("DeclineChat", new { requestId = invitation.Data!["requestId"]!.GetValue<string>() });

        var expected = SpecSamples.WithErrorData("SendMessage").Single(s => s.Contains("\"declined\"", StringComparison.Ordinal));
        FrameAssert.Matches(await me.NextAsync(), SpecSamples.Template(expected));
    }

    [Fact]
    public async Task BeginSession_Api23Token_AnswersAsTheInferredSample()
    {
        await using var client = await host.ConnectAsync(host.NewTenant(out _));
        await client.SendRawAsync("""{"method":"BeginSession","params":{"gdAuthToken":"user1@example.com","deviceToken":"d1","presence":"available","personalMessage":"","gnpToken":"g"},"id":"c1","jsonrpc":"2.0"}""");

        FrameAssert.Matches(await client.NextAsync(), SpecSamples.Template(SpecSamples.Response("BeginSession")));
        FrameAssert.Matches(await client.NextAsync(), SpecSamples.Template(SpecSamples.Completion("BeginSession")));
    }

    [Theory]
    [InlineData("Ping")]
    [InlineData("TerminateSession")]
    public async Task SessionMethod_SampleRequest_AnswersAsDocumented(string method)
    {
        await using var client = await host.SignInAsync(host.NewTenant(out _), "user1@example.com");

        await client.SendRawAsync(SpecSamples.Request(method));

        FrameAssert.Matches(await client.NextAsync(), SpecSamples.Template(SpecSamples.Response(method)));
        FrameAssert.Matches(await client.NextAsync(), SpecSamples.Template(SpecSamples.Completion(method)));
    }

    [Fact]
    public async Task SetGDAuthToken_SameIdentity_AnswersCompleteSynchronouslyAndNothingFollows()
    {
        await using var client = await host.SignInAsync(host.NewTenant(out _), "user1@example.com");

        await client.SendRawAsync(SpecSamples.Request("SetGDAuthToken").Replace("<token>", "sip:user1@example.com", StringComparison.Ordinal));

        FrameAssert.Matches(await client.NextAsync(), SpecSamples.Template(SpecSamples.Response("SetGDAuthToken")));
        await client.ExpectNothingPendingAsync();
    }

    [Fact]
    public async Task SetGDToken_SampleRequest_AnswersTheDocumentedLegacyShape()
    {
        await using var client = await host.SignInAsync(host.NewTenant(out _), "user1@example.com");

        await client.SendRawAsync(SpecSamples.Request("SetGDToken"));

        var documented = SpecSamples.Of("SetGDToken").Single(s => s.Contains("\"success\"", StringComparison.Ordinal));
        FrameAssert.Matches(await client.NextAsync(), documented);
        await client.ExpectNothingPendingAsync();
    }

    [Fact]
    public async Task StartAcceptTypingEnd_SampleRequests_AnswerAsDocumented()
    {
        var tenant = host.NewTenant(out _);
        await using var user1 = await host.SignInAsync(tenant, "sip:user1@example.com");
        await using var contact = await host.SignInAsync(tenant, "contact@example.com");

        // StartChat (contact → user1), then AcceptChat with the sample's shape and the real requestId.
        await contact.SendRawAsync(SpecSamples.Request("StartChat"));
        FrameAssert.Matches(await contact.NextAsync(), SpecSamples.Template(SpecSamples.Response("StartChat")));
        FrameAssert.Matches(await contact.NextAsync(), SpecSamples.Template(SpecSamples.Completion("StartChat")));

        var invitation = await user1.EventAsync("InvitationReceived");
        var requestId = invitation.Data!["requestId"]!.GetValue<string>();
        await user1.SendRawAsync(SpecSamples.Request("AcceptChat").Replace("dbc2e7b6-25e8-450e-9670-c9e4f32341bb", requestId, StringComparison.Ordinal));
        var accepted = await user1.NextAsync();
        FrameAssert.Matches(accepted, SpecSamples.Template(SpecSamples.Response("AcceptChat")));
        accepted.Data!["chatId"]!.GetValue<string>().Should().Be(requestId);
        FrameAssert.Matches(await user1.NextAsync(), SpecSamples.Template(SpecSamples.Completion("AcceptChat")));

        // StartTyping / StopTyping from contact to user1 (the samples name sip:user1 and user1).
        foreach (var method in new[] { "StartTyping", "StopTyping" })
        {
            await contact.SendRawAsync(SpecSamples.Request(method));
            FrameAssert.Matches(await contact.WaitForAsync(f => f.Id == "c12" && f.State == "PROCESSING", method),
                SpecSamples.Template(SpecSamples.Response(method)));
            FrameAssert.Matches(await contact.WaitForAsync(f => f.Id == "c12" && f.State == "COMPLETE", method),
                SpecSamples.Template(SpecSamples.Completion(method)));
        }

        // EndChat: the sample's contactId is contact@example.com, so user1 ends the chat with contact.
        await user1.SendRawAsync(SpecSamples.Request("EndChat"));
        FrameAssert.Matches(await user1.WaitForAsync(f => f.Id == "c5" && f.State == "PROCESSING", "EndChat"), SpecSamples.Template(SpecSamples.Response("EndChat")));
        FrameAssert.Matches(await user1.WaitForAsync(f => f.Id == "c5" && f.State == "COMPLETE", "EndChat"), SpecSamples.Template(SpecSamples.Completion("EndChat")));
    }

    [Fact]
    public async Task DeclineChat_SampleRequest_AnswersAsDocumented()
    {
        var tenant = host.NewTenant(out _);
        await using var user1 = await host.SignInAsync(tenant, "user1@example.com");
        await using var other = await host.SignInAsync(tenant, "other@example.com");
        await other.CallAsync("StartChat", new { contactId = "user1@example.com" });
        var requestId = (await user1.EventAsync("InvitationReceived")).Data!["requestId"]!.GetValue<string>();

        await user1.SendRawAsync(SpecSamples.Request("DeclineChat").Replace("dbc2e7b6-25e8-450e-9670-c9e4f32341bb", requestId, StringComparison.Ordinal));

        FrameAssert.Matches(await user1.NextAsync(), SpecSamples.Template(SpecSamples.Response("DeclineChat")));
        FrameAssert.Matches(await user1.NextAsync(), SpecSamples.Template(SpecSamples.Completion("DeclineChat")));
    }

    [Fact]
    public async Task MessageAck_SampleRequestForTheFirstMessageDeliveredToTheCaller_AnswersAsDocumented()
    {
        var tenant = host.NewTenant(out _);
        await using var me = await host.SignInAsync(tenant, "me@example.com");
        await using var other = await host.SignInAsync(tenant, "other@example.com");
        await other.CallAsync("StartChat", new { contactId = "me@example.com" });
        var invitation = await me.EventAsync("InvitationReceived");
        await me.CallAsync("AcceptChat", new { requestId = invitation.Data!["requestId"]!.GetValue<string>() });
        await other.CallAsync("SendMessage", new { contactId = "me@example.com", message = "hi", messageId = "m1" });
        var received = await me.EventAsync("MessageReceived");
        received.Data!["messageId"]!.GetValue<string>().Should().Be("1", "the sample acknowledges message 1: the tenant's first message, given to the caller");

        await me.SendRawAsync(SpecSamples.Request("MessageAck"));

        FrameAssert.Matches(await me.NextAsync(), SpecSamples.Template(SpecSamples.Response("MessageAck")));
        FrameAssert.Matches(await me.NextAsync(), SpecSamples.Template(SpecSamples.Completion("MessageAck")));
    }

    [Fact]
    public async Task Events_InvitationAndMessage_CarryServerIdsSequenceAndErrorNull()
    {
        var tenant = host.NewTenant(out _);
        await using var bob = await host.SignInAsync(tenant, "bob@example.com");
        await using var alice = await host.SignInAsync(tenant, "alice@example.com");

        await alice.SendAsync("SendMessage", new { contactId = "sip:bob@example.com", message = "Lunch?", messageId = "m1" });
        var invitation = await bob.EventAsync("InvitationReceived");
        FrameAssert.Matches(invitation, """
            {"id":"<S-id>","sequence":"<sequence>","error":null,"result":{"data":{"requestId":"<guid>","contactId":"sip:alice@example.com","displayName":"Alice Adams","timestamp":"<number>","method":"InvitationReceived"}},"jsonrpc":"2.0"}
            """);
        await bob.CallAsync("AcceptChat", new { requestId = invitation.Data!["requestId"]!.GetValue<string>() });

        FrameAssert.Matches(await bob.EventAsync("MessageReceived"), """
            {"id":"<S-id>","sequence":"<sequence>","error":null,"result":{"data":{"messageId":"<digits>","chatId":"<guid>","contactId":"sip:alice@example.com","message":"Lunch?","timestamp":"<number>","method":"MessageReceived"}},"jsonrpc":"2.0"}
            """);
    }

    [Fact]
    public async Task Ids_NumericRequestId_IsEchoedAsANumber()
    {
        await using var client = await host.ConnectAsync(host.NewTenant(out _));
        await client.SendRawAsync("""{"method":"BeginSession","params":{"gdAuthToken":"n@example.com"},"id":7,"jsonrpc":"2.0"}""");

        var response = await client.NextAsync();

        response.Json["id"]!.GetValueKind().Should().Be(System.Text.Json.JsonValueKind.Number);
        response.Json["id"]!.GetValue<long>().Should().Be(7);
        JsonNode.DeepEquals(response.Json["id"], (await client.NextAsync()).Json["id"]).Should().BeTrue();
    }
}
