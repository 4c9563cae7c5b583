namespace BemsServer.Features.Chats;

/// <summary><c>Bems:Chat</c>: one-to-one chat.</summary>
internal sealed class ChatOptions
{
    public const string SectionName = "Bems:Chat";

    /// <summary>How long an invitation waits for AcceptChat/DeclineChat before queued messages fail with MessageUpdate ack/timeout.</summary>
    public TimeSpan InvitationTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Delivered messages kept per chat for the admin API (the newest; 0 keeps none).</summary>
    public int MessageLog { get; set; } = ChatService.DefaultMessageLog;

    /// <summary>
    /// How long a delivered message may wait for a device of the peer to take it (a socket send of it completes) before
    /// its SendMessage ends in MessageUpdate ack/timeout; a later write of the message produces no second outcome.
    /// </summary>
    public TimeSpan DeliveryTimeout { get; set; } = ChatService.DefaultDeliveryTimeout;
}
