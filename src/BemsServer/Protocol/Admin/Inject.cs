namespace BemsServer.Protocol.Admin;

/// <summary>SendMessage as a user: <c>{ to, message, messageId? }</c>.</summary>
public sealed record InjectMessage(string To, string Message, string? MessageId = null);

/// <summary>StartChat or EndChat as a user: <c>{ to }</c>.</summary>
public sealed record InjectPeer(string To);

/// <summary>StartTyping (<c>typing: true</c>) or StopTyping as a user.</summary>
public sealed record InjectTyping(string To, bool Typing = true);

/// <summary>AcceptChat or DeclineChat as a user: the invitation's <c>requestId</c>, or the inviter (<c>from</c>).</summary>
public sealed record InjectAnswer(string? RequestId = null, string? From = null);

/// <summary>SetPresence and/or SetPersonalMessage as a user (at least one of the two).</summary>
public sealed record InjectPresence(string? Presence = null, string? PersonalMessage = null);

/// <summary>The acting user's own outcome frames released so far ("SendMessage COMPLETE", "MessageUpdate ack/timeout", …).</summary>
public sealed record InjectResult(IReadOnlyList<string> Outcome);

/// <summary>pc.SendMessage as a user: <c>{ room, message, messageId?, isAlert? }</c>.</summary>
public sealed record InjectRoomPost(string Room, string Message, string? MessageId = null, bool IsAlert = false);
