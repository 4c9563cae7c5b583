using BemsServer.Client;
using BemsServer.IntegrationTests.Infrastructure;
using BemsServer.Protocol;
using BemsServer.Protocol.Data;

namespace BemsServer.IntegrationTests.Flows;

/// <summary>Tenants isolate everything: the same user ids on two tenants never meet.</summary>
public sealed class TenantTests(BemsHost host) : IClassFixture<BemsHost>
{
    [Fact]
    public async Task SameUsersOnTwoTenants_NothingSentInOneReachesTheOther()
    {
        var first = host.NewTenant(out _);
        var second = host.NewTenant(out _);
        await using var aliceOne = await host.ClientAsync(first, "alice@example.com");
        await using var bobOne = await host.ClientAsync(first, "bob@example.com");
        await using var aliceTwo = await host.ClientAsync(second, "alice@example.com");
        await using var bobTwo = await host.ClientAsync(second, "bob@example.com");

        var sending = aliceOne.SendMessageAsync("bob@example.com", "tenant one", "m-1");
        var invitation = await bobOne.WaitForEventAsync<InvitationReceivedData>();
        await bobOne.AcceptChatAsync(invitation.RequestId);
        (await bobOne.WaitForEventAsync<MessageReceivedData>()).Message.Should().Be("tenant one");
        (await sending).Kind.Should().Be(SendOutcomeKind.Delivered);

        await bobTwo.ExpectNoEventsAsync();
        await aliceTwo.ExpectNoEventsAsync();
        var foreign = () => bobTwo.AcceptChatAsync(invitation.RequestId);
        (await foreign.Should().ThrowAsync<BemsRpcException>()).Which.Code.Should().Be(ErrorCodes.UnknownReference, "a chat of one tenant is unknown in another");
    }

    [Fact]
    public async Task UserJoinedOnOneTenant_IsUnknownOnAnother()
    {
        var first = host.NewTenant(out _);
        await using var newcomer = await host.ClientAsync(first, "newcomer@example.com");
        await using var other = await host.ClientAsync(host.NewTenant(out _), "alice@example.com");

        var act = () => other.StartChatAsync("newcomer@example.com");

        (await act.Should().ThrowAsync<BemsRpcException>()).Which.Code.Should().Be(ErrorCodes.UnknownContact);
        await newcomer.ExpectNoEventsAsync();
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
