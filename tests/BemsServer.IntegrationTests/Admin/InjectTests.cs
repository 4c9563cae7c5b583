using System.Text.RegularExpressions;
using BemsServer.IntegrationTests.Infrastructure;

namespace BemsServer.IntegrationTests.Admin;

/// <summary>Acting as a directory user through the API produces the frames a real peer would.</summary>
public sealed partial class InjectTests(BemsHost host) : IClassFixture<BemsHost>
{
    [GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
    private static partial Regex Guid();

    private static List<string> Normalized(WireClient client) => [.. client.History.Select(static f => Guid().Replace(f.Text, "<guid>"))];

    /// <summary>Bob's side of: an invitation with a message, accepted, then typing.</summary>
    private static async Task BobAcceptsAsync(WireClient bob)
    {
        var invitation = await bob.EventAsync("InvitationReceived");
        await bob.CallAsync("AcceptChat", new { requestId = invitation.Data!["requestId"]!.GetValue<string>() });
        await bob.EventAsync("MessageReceived");
    }

    [Fact]
    public async Task Inject_SendMessageAndTyping_BobSeesTheSameFramesAsFromARealClient()
    {
        var real = host.NewTenant(out _);
        await using var bobReal = await host.SignInAsync(real, "bob@example.com");
        await using var alice = await host.SignInAsync(real, "alice@example.com");
        await alice.SendAsync("SendMessage", new { contactId = "bob@example.com", message = "hello", messageId = "m-1" });
        await BobAcceptsAsync(bobReal);
        var chatId = (await alice.WaitForAsync(static f => f.State == "COMPLETE" && f.Method == "SendMessage", "COMPLETE")).Data!["chatId"]!.GetValue<string>();
        await alice.CallAsync("StartTyping", new { contactId = "bob@example.com", chatId });
        await bobReal.EventAsync("TypingStarted");

        var injected = host.NewTenant(out var name);
        using var admin = AdminApi.For(host, name);
        await using var bobInjected = await host.SignInAsync(injected, "bob@example.com");
        await admin.PostAsync("users/alice@example.com/send", new { to = "bob@example.com", message = "hello", messageId = "m-1" });
        await BobAcceptsAsync(bobInjected);
        var typed = await admin.PostAsync("users/alice@example.com/typing", new { to = "bob@example.com", typing = true });
        await bobInjected.EventAsync("TypingStarted");

        Normalized(bobInjected).Should().Equal(Normalized(bobReal));
        typed["outcome"]!.AsArray().Should().BeEmpty("typing completes nothing of the acting user's");
    }

    [Fact]
    public async Task Inject_AcceptAndDecline_AnswerARealClientsInvitations()
    {
        var uri = host.NewTenant(out var name);
        using var admin = AdminApi.For(host, name);
        await using var alice = await host.SignInAsync(uri, "alice@example.com");
        await using var bob = await host.SignInAsync(uri, "bob@example.com"); // an invitation waits only for a user who is signed in

        var send = await alice.SendAsync("SendMessage", new { contactId = "bob@example.com", message = "one", messageId = "m-1" });
        await alice.WaitForAsync(f => f.Id == send && f.State == "PROCESSING", "PROCESSING"); // the invitation exists from here on
        var accepted = await admin.PostAsync("users/bob@example.com/accept", new { from = "alice@example.com" });
        accepted["outcome"]!.AsArray().Select(static o => o!.GetValue<string>()).Should().Equal("AcceptChat COMPLETE");
        (await alice.WaitForAsync(f => f.Id == send && f.State == "COMPLETE", "COMPLETE")).Data!["chatId"].Should().NotBeNull();

        await admin.PostAsync("users/bob@example.com/end-chat", new { to = "alice@example.com" });
        await alice.EventAsync("ChatEnded");
        var second = await alice.SendAsync("SendMessage", new { contactId = "bob@example.com", message = "two", messageId = "m-2" });
        await alice.WaitForAsync(f => f.Id == second && f.State == "PROCESSING", "PROCESSING");
        var invitation = await admin.GetAsync("chats");
        var requestId = invitation.AsArray().Single()!["id"]!.GetValue<string>();
        await admin.PostAsync("users/bob@example.com/decline", new { requestId });

        var update = await alice.EventAsync("MessageUpdate");
        update.Data!["status"]!.GetValue<string>().Should().Be("terminated");
    }
}
