using BemsServer.IntegrationTests.Infrastructure;

namespace BemsServer.IntegrationTests.Im;

/// <summary>One-to-one file-transfer invitations: accepted, declined, expired, and offered to nobody.</summary>
public abstract class FileTransferContract(BemsHost host)
{
    private const string FileId = "dbc2e7b6-25e8-450e-9670-c9e4f32341bb";

    internal static async Task<Frame> CompletedAsync(WireClient client, string method, object parameters)
    {
        var id = await client.SendAsync(method, parameters);
        FrameAssert.Matches(await client.WaitForAsync(f => f.Id == id, "PROCESSING"),
            $$$"""{"id":"{{{id}}}","error":null,"result":{"data":{"method":"{{{method}}}","state":"PROCESSING"}},"jsonrpc":"2.0"}""");
        var completed = await client.WaitForAsync(f => f.Id == id, "COMPLETED");
        FrameAssert.Matches(completed,
            $$$"""{"id":"{{{id}}}","error":null,"result":{"data":{"method":"{{{method}}}","state":"COMPLETED"}},"jsonrpc":"2.0"}""");
        return completed;
    }

    private static string UpdateFrame(string status) => $$$"""
        {"id":"<S-id>","sequence":"<sequence>","error":null,"result":{"data":{"fileId":"{{{FileId}}}","status":"{{{status}}}","method":"FileXferInvitationUpdate","state":"COMPLETE"}},"jsonrpc":"2.0"}
        """;

    [Theory]
    [InlineData("AcceptFileXfer", "Accepted")]
    [InlineData("DeclineFileXfer", "Declined")]
    public async Task Invitation_Answered_SenderGetsTheOutcome(string answer, string status)
    {
        var tenant = host.NewTenant(out _);
        await using var sender = await host.SignInAsync(tenant, "user2@example.com");
        await using var recipient = await host.SignInAsync(tenant, "user1@example.com");

        await CompletedAsync(sender, "InviteFileXfer", new { contactId = "sip:user1@example.com", fileName = "MyFile.txt", fileSize = 55550000, fileId = FileId });
        FrameAssert.Matches(await recipient.EventAsync("FileXferInvitationReceived"), $$$"""
            {"id":"<S-id>","sequence":"<sequence>","error":null,"result":{"data":{"contactId":"sip:user2@example.com","fileName":"MyFile.txt","fileSize":55550000,"fileId":"{{{FileId}}}","method":"FileXferInvitationReceived"}},"jsonrpc":"2.0"}
            """);
        await CompletedAsync(recipient, answer, new { contactid = "user2@example.com", fileId = FileId });

        FrameAssert.Matches(await sender.EventAsync("FileXferInvitationUpdate"), UpdateFrame(status));
        (await recipient.RequestAsync(answer, new { contactId = "user2@example.com", fileId = FileId }))
            .Json["error"]!["code"]!.GetValue<int>().Should().Be(-32004, "an invitation is answered once");
        await sender.ExpectNothingPendingAsync();
    }

    [Fact]
    public async Task Invitation_NotAnsweredInTime_ExpiresOnTheInjectedClock()
    {
        var tenant = host.NewTenant(out _);
        await using var sender = await host.SignInAsync(tenant, "user2@example.com");
        await using var recipient = await host.SignInAsync(tenant, "user1@example.com");
        await CompletedAsync(sender, "InviteFileXfer", new { contactId = "user1@example.com", fileName = "a.txt", fileSize = 1, fileId = FileId });
        await recipient.EventAsync("FileXferInvitationReceived");

        host.Clock.Advance(TimeSpan.FromSeconds(59));
        await sender.ExpectNothingPendingAsync();
        host.Clock.Advance(TimeSpan.FromSeconds(1));

        FrameAssert.Matches(await sender.EventAsync("FileXferInvitationUpdate"), UpdateFrame("Expired"));
        (await recipient.RequestAsync("AcceptFileXfer", new { contactId = "user2@example.com", fileId = FileId }))
            .Json["error"]!["code"]!.GetValue<int>().Should().Be(-32004);
    }

    [Fact]
    public async Task Invitation_ToAUserWithNoSession_ExpiresAtOnce()
    {
        await using var sender = await host.SignInAsync(host.NewTenant(out _), "user2@example.com");

        await CompletedAsync(sender, "InviteFileXfer", new { contactId = "user1@example.com", fileName = "a.txt", fileSize = 1, fileId = FileId });

        FrameAssert.Matches(await sender.EventAsync("FileXferInvitationUpdate"), UpdateFrame("Expired"));
    }
}

/// <summary>The contract on one node, the in-memory engine.</summary>
public sealed class FileTransferTests(ImHost host) : FileTransferContract(host), IClassFixture<ImHost>;

/// <summary>The contract on two nodes of the Orleans engine, each client on the other node than the one before.</summary>
public sealed class FileTransferClusterTests(ImClusterHost host) : FileTransferContract(host), IClassFixture<ImClusterHost>;
