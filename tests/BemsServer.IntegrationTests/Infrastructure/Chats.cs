namespace BemsServer.IntegrationTests.Infrastructure;

/// <summary>What many flows start with: a one-to-one chat already accepted.</summary>
public static class Chats
{
    /// <summary><paramref name="inviter"/> starts a chat with <paramref name="inviteeUser"/>, whose client accepts it.</summary>
    public static async Task OpenChatAsync(this WireClient inviter, WireClient invitee, string inviteeUser)
    {
        await inviter.CallAsync("StartChat", new { contactId = inviteeUser });
        var invitation = await invitee.EventAsync("InvitationReceived");
        await invitee.CallAsync("AcceptChat", new { requestId = invitation.Data!["requestId"]!.GetValue<string>() });
    }
}
