using BemsServer.IntegrationTests.Infrastructure;

namespace BemsServer.IntegrationTests.Flows;

/// <summary>Tenants isolate everything: the same user ids on two tenants never meet.</summary>
public sealed class TenantTests(BemsHost host) : IClassFixture<BemsHost>
{
    [Fact]
    public async Task SameUsersOnTwoTenants_NothingSentInOneReachesTheOther()
    {
        var first = host.NewTenant(out _);
        var second = host.NewTenant(out _);
        await using var aliceOne = await host.SignInAsync(first, "alice@example.com");
        await using var bobOne = await host.SignInAsync(first, "bob@example.com");
        await using var aliceTwo = await host.SignInAsync(second, "alice@example.com");
        await using var bobTwo = await host.SignInAsync(second, "bob@example.com");

        await aliceOne.SendAsync("SendMessage", new { contactId = "bob@example.com", message = "tenant one", messageId = "m-1" });
        var invitation = await bobOne.EventAsync("InvitationReceived");
        await bobOne.CallAsync("AcceptChat", new { requestId = invitation.Data!["requestId"]!.GetValue<string>() });
        (await bobOne.EventAsync("MessageReceived")).Data!["message"]!.GetValue<string>().Should().Be("tenant one");

        await bobTwo.ExpectNothingPendingAsync();
        await aliceTwo.ExpectNothingPendingAsync();
        var foreign = await bobTwo.RequestAsync("AcceptChat", new { requestId = invitation.Data!["requestId"]!.GetValue<string>() });
        foreign.Json["error"]!["code"]!.GetValue<int>().Should().Be(-32004, "a chat of one tenant is unknown in another");
    }

    [Fact]
    public async Task UserJoinedOnOneTenant_IsUnknownOnAnother()
    {
        var first = host.NewTenant(out _);
        await using var newcomer = await host.SignInAsync(first, "newcomer@example.com");
        await using var other = await host.SignInAsync(host.NewTenant(out _), "alice@example.com");

        var answer = await other.RequestAsync("StartChat", new { contactId = "newcomer@example.com" });

        answer.Json["error"]!["code"]!.GetValue<int>().Should().Be(-32003);
        await newcomer.ExpectNothingPendingAsync();
    }

    [Fact]
    public async Task DefaultTenant_IsServedAtTheRootPath()
    {
        await using var client = await host.SignInAsync(host.DefaultUri, $"root-{Guid.NewGuid():N}@example.com");

        var (_, complete) = await client.CallAsync("SendMessage", new { contactId = "echo@example.com", message = "root", messageId = "m-1" });

        complete.Data!["chatId"].Should().NotBeNull();
        (await client.EventAsync("MessageReceived")).Data!["message"]!.GetValue<string>().Should().Be("root");
    }

    [Theory]
    [InlineData("/", 426)]
    [InlineData("/t/some-tenant/", 426)]
    [InlineData("/t/not%20a%20name/", 404)]
    public async Task PlainHttpRequest_ToAWebSocketPath_IsAnsweredWithoutAnUpgrade(string path, int status)
    {
        using var http = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };

        using var response = await http.GetAsync(new Uri(path, UriKind.Relative));

        ((int)response.StatusCode).Should().Be(status);
    }
}
