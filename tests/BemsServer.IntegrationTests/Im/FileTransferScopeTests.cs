using BemsServer.IntegrationTests.Infrastructure;

namespace BemsServer.IntegrationTests.Im;

/// <summary>Defect 8 of the hardening issue: a fileId belongs to its sender; another user's pending id is not visible.</summary>
public sealed class FileTransferScopeTests(ImHost host) : IClassFixture<ImHost>
{
    private const string FileId = "0f0e5d3a-4c55-4d1c-9f0b-1a2b3c4d5e6f";

    [Fact]
    public async Task SameFileId_FromTwoSenders_BothOffered_AndEachAnsweredOnItsOwn()
    {
        var tenant = host.NewTenant(out _);
        await using var first = await host.SignInAsync(tenant, "user2@example.com");
        await using var second = await host.SignInAsync(tenant, "user3@example.com");
        await using var recipient = await host.SignInAsync(tenant, "user1@example.com");
        await FileTransferTests.CompletedAsync(first, "InviteFileXfer", new { contactId = "user1@example.com", fileName = "a.txt", fileSize = 1, fileId = FileId });
        await recipient.EventAsync("FileXferInvitationReceived");

        await FileTransferTests.CompletedAsync(second, "InviteFileXfer", new { contactId = "user1@example.com", fileName = "b.txt", fileSize = 2, fileId = FileId });

        (await recipient.EventAsync("FileXferInvitationReceived")).Data!["contactId"]!.GetValue<string>().Should().Be("sip:user3@example.com");
        await FileTransferTests.CompletedAsync(recipient, "DeclineFileXfer", new { contactId = "user3@example.com", fileId = FileId });
        (await second.EventAsync("FileXferInvitationUpdate")).Data!["status"]!.GetValue<string>().Should().Be("Declined");
        await first.ExpectNothingPendingAsync();
        await FileTransferTests.CompletedAsync(recipient, "AcceptFileXfer", new { contactId = "user2@example.com", fileId = FileId });
        (await first.EventAsync("FileXferInvitationUpdate")).Data!["status"]!.GetValue<string>().Should().Be("Accepted");
    }

    [Fact]
    public async Task SameFileId_FromTheSameSender_IsStillAlreadyPending()
    {
        var tenant = host.NewTenant(out _);
        await using var sender = await host.SignInAsync(tenant, "user2@example.com");
        await using var recipient = await host.SignInAsync(tenant, "user1@example.com");
        await FileTransferTests.CompletedAsync(sender, "InviteFileXfer", new { contactId = "user1@example.com", fileName = "a.txt", fileSize = 1, fileId = FileId });

        var answer = await sender.RequestAsync("InviteFileXfer", new { contactId = "user1@example.com", fileName = "a.txt", fileSize = 1, fileId = FileId });

        answer.Json["error"]!["code"]!.GetValue<int>().Should().Be(-32602);
    }
}
