using BemsServer.IntegrationTests.Infrastructure;

namespace BemsServer.IntegrationTests.Admin;

/// <summary>A host that keeps only the last two delivered messages per chat.</summary>
public sealed class SmallChatLogHost() : BemsHost(new() { ["Bems:Chat:MessageLog"] = "2" });

/// <summary>Chats and their messages: the bounded per-chat log of delivered messages.</summary>
public sealed class ChatLogTests(SmallChatLogHost host) : IClassFixture<SmallChatLogHost>
{
    [Fact]
    public async Task ChatMessages_AfterASendMessageExchange_ShowBothMessagesWithTheirIds()
    {
        var uri = host.NewTenant(out var name);
        using var admin = AdminApi.For(host, name);
        await using var alice = await host.SignInAsync(uri, "alice@example.com");
        await using var bob = await host.SignInAsync(uri, "bob@example.com");
        await alice.SendAsync("SendMessage", new { contactId = "bob@example.com", message = "Lunch?", messageId = "a-1" });
        await bob.CallAsync("AcceptChat", new { requestId = (await bob.EventAsync("InvitationReceived")).Data!["requestId"]!.GetValue<string>() });
        var received = await bob.EventAsync("MessageReceived");
        var chatId = received.Data!["chatId"]!.GetValue<string>();

        await bob.CallAsync("SendMessage", new { contactId = "alice@example.com", message = "Sure", messageId = "b-1" });
        var reply = await alice.EventAsync("MessageReceived");

        var messages = (await admin.GetAsync($"chats/{chatId}"))["messages"]!.AsArray();
        messages.Select(static m => $"{m!["from"]} {m["message"]} {m["messageId"]} {m["id"]}").Should().Equal(
            $"sip:alice@example.com Lunch? a-1 {received.Data!["messageId"]}",
            $"sip:bob@example.com Sure b-1 {reply.Data!["messageId"]}");
        (await admin.GetAsync("chats")).AsArray().Single()!["messages"]!.AsArray().Should().HaveCount(2);
    }

    [Fact]
    public async Task ChatMessages_BeyondTheConfiguredLog_KeepOnlyTheNewest()
    {
        var uri = host.NewTenant(out var name);
        using var admin = AdminApi.For(host, name);
        await using var alice = await host.SignInAsync(uri, "alice@example.com");
        await alice.SendAsync("SendMessage", new { contactId = "echo@example.com", message = "one", messageId = "m-1" });
        await alice.EventAsync("MessageReceived");

        await alice.CallAsync("SendMessage", new { contactId = "echo@example.com", message = "two", messageId = "m-2" });
        await alice.EventAsync("MessageReceived");

        var messages = (await admin.GetAsync("chats")).AsArray().Single()!["messages"]!.AsArray();
        messages.Select(static m => $"{m!["from"]} {m["message"]}").Should().Equal("sip:alice@example.com two", "sip:echo@example.com two");
    }
}
