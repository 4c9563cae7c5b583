using System.Text.Json.Serialization;

namespace BemsServer.Protocol.Data;

/// <summary>SendMessage data: the timestamp is a JSON string, as in the documented sample; chatId only on COMPLETE.</summary>
public sealed record SendMessageData(string Timestamp, string? ChatId = null) : BemsData(MethodNames.SendMessage);

/// <summary>StartChat data: the timestamp is a JSON number (epoch ms); <c>requestIds</c> (plural, as the table spells it) on COMPLETE.</summary>
public sealed record StartChatData(long Timestamp, string? RequestIds = null) : BemsData(MethodNames.StartChat);

/// <summary>AcceptChat data: the chat id, which equals the invitation's requestId.</summary>
public sealed record AcceptChatData(string ChatId) : BemsData(MethodNames.AcceptChat);

/// <summary>StartTyping data: the table lists <c>contactId</c> beside method and state; the samples put it after <c>method</c>.</summary>
public sealed record StartTypingData([property: JsonPropertyOrder(WireOrder.AfterMethod)] string ContactId) : BemsData(MethodNames.StartTyping);

/// <summary>Event: somebody invites the user to a one-to-one chat. Answer with AcceptChat/DeclineChat and this requestId.</summary>
public sealed record InvitationReceivedData(string RequestId, string ContactId, string DisplayName, long Timestamp)
    : BemsData(MethodNames.InvitationReceived);

/// <summary>Event to the inviter of a StartChat: the invitation was Accepted, Declined or Expired.</summary>
public sealed record InvitationUpdateData(string RequestId, string ContactId, string Status)
    : BemsData(MethodNames.InvitationUpdate);

/// <summary>Event: a chat message arrived. <c>messageId</c> is the server's id, to be acknowledged with MessageAck.</summary>
public sealed record MessageReceivedData(string MessageId, string ChatId, string ContactId, string Message, long Timestamp)
    : BemsData(MethodNames.MessageReceived);

/// <summary>Event: the chat peer started or stopped typing (method TypingStarted or TypingStopped).</summary>
public sealed record TypingData(string Method, string ChatId, string ContactId) : BemsData(Method);

/// <summary>Event: the other party ended the chat.</summary>
public sealed record ChatEndedData(string ChatId, string ContactId) : BemsData(MethodNames.ChatEnded);

/// <summary>SendMessage's failure notification, carried under <c>error.data</c>.</summary>
public sealed record MessageUpdateData(string Type, string Status, IReadOnlyList<string> ContactIds, string MessageId)
    : BemsData(MethodNames.MessageUpdate);
