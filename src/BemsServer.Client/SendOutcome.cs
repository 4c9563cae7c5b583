using BemsServer.Protocol.Data;

namespace BemsServer.Client;

/// <summary>How a SendMessage ended: exactly one COMPLETE or one MessageUpdate (docs/protocol.md, One-to-one chat).</summary>
public enum SendOutcomeKind
{
    /// <summary>COMPLETE: the message reached the recipient; <see cref="SendOutcome.ChatId"/> names the chat.</summary>
    Delivered,

    /// <summary>MessageUpdate <c>declined</c>/<c>terminated</c>: the invitation was declined or withdrawn.</summary>
    Declined,

    /// <summary>MessageUpdate <c>ack</c>/<c>timeout</c>: no answer in time, or nobody signed in.</summary>
    TimedOut,
}

/// <summary>The one outcome of a SendMessage.</summary>
/// <param name="Kind">Delivered, declined or timed out.</param>
/// <param name="MessageId">The client's messageId.</param>
/// <param name="ChatId">The chat the message was delivered in (Delivered only).</param>
/// <param name="Type">The MessageUpdate's <c>type</c> (not Delivered).</param>
/// <param name="Status">The MessageUpdate's <c>status</c> (not Delivered).</param>
public sealed record SendOutcome(SendOutcomeKind Kind, string MessageId, string? ChatId = null, string? Type = null, string? Status = null)
{
    /// <summary>
    /// The outcome a MessageUpdate reports. A <c>timeout</c> status is TimedOut; any other (<c>terminated</c>, or what a fault
    /// rule chose) is Declined; <see cref="Type"/> and <see cref="Status"/> keep the exact values.
    /// </summary>
    public static SendOutcome From(MessageUpdateData update) => new(
        string.Equals(update.Status, "timeout", StringComparison.OrdinalIgnoreCase) ? SendOutcomeKind.TimedOut : SendOutcomeKind.Declined,
        update.MessageId, null, update.Type, update.Status);
}
