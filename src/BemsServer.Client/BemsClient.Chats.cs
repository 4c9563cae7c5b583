using BemsServer.Protocol;
using BemsServer.Protocol.Data;

namespace BemsServer.Client;

public sealed partial class BemsClient
{
    /// <summary>StartChat: invites the contact; completes once the invitation is out (<c>requestIds</c> = the chat id). The answer arrives as an <see cref="InvitationUpdateData"/> event.</summary>
    public Task<StartChatData> StartChatAsync(string contactId, CancellationToken cancellationToken = default) =>
        CallAsync(MethodNames.StartChat, Params(("contactId", contactId)), BemsJsonContext.Default.StartChatData, cancellationToken);

    /// <summary>AcceptChat: accepts an <see cref="InvitationReceivedData"/>; returns the chat id.</summary>
    public async Task<string> AcceptChatAsync(string requestId, CancellationToken cancellationToken = default) =>
        (await CallAsync(MethodNames.AcceptChat, Params(("requestId", requestId)), BemsJsonContext.Default.AcceptChatData, cancellationToken)
            .ConfigureAwait(false)).ChatId;

    /// <summary>DeclineChat: declines an invitation.</summary>
    public Task DeclineChatAsync(string requestId, CancellationToken cancellationToken = default) =>
        CallAsync(MethodNames.DeclineChat, Params(("requestId", requestId)), cancellationToken);

    /// <summary>EndChat: ends (or withdraws, or declines) the chat with the contact.</summary>
    public Task EndChatAsync(string contactId, CancellationToken cancellationToken = default) =>
        CallAsync(MethodNames.EndChat, Params(("contactId", contactId)), cancellationToken);

    /// <summary>MessageAck: acknowledges a received message (the server's <c>messageId</c>).</summary>
    public Task MessageAckAsync(string messageId, string status = "delivered", CancellationToken cancellationToken = default) =>
        CallAsync(MethodNames.MessageAck, Params(("messageId", messageId), ("status", status)), cancellationToken);

    /// <summary>StartTyping: the chat peer gets TypingStarted.</summary>
    public Task StartTypingAsync(string contactId, string chatId, CancellationToken cancellationToken = default) =>
        CallAsync(MethodNames.StartTyping, Params(("contactId", contactId), ("chatId", chatId)), cancellationToken);

    /// <summary>StopTyping: the chat peer gets TypingStopped.</summary>
    public Task StopTypingAsync(string contactId, string chatId, CancellationToken cancellationToken = default) =>
        CallAsync(MethodNames.StopTyping, Params(("contactId", contactId), ("chatId", chatId)), cancellationToken);
}
