namespace BemsServer.Protocol;

/// <summary>
/// The wire choices the documentation leaves open, kept in one place so that a real capture can correct them.
/// Each is described in docs/protocol.md.
/// </summary>
internal static class Wire
{
    /// <summary>Prefix of server-generated ids on events (the persistent-chat and file-transfer samples use "S").</summary>
    public const string EventIdPrefix = "S";

    /// <summary>Prefix of MessageUpdate ids (the SendMessage seed document uses a lower-case "s").</summary>
    public const string MessageUpdateIdPrefix = "s";

    /// <summary>MessageUpdate type/status when the invitation was not answered in time (or nobody could be reached).</summary>
    public const string TimeoutType = "ack";
    public const string TimeoutStatus = "timeout";

    /// <summary>MessageUpdate type/status when the recipient declined (or the invitation was withdrawn).</summary>
    public const string DeclinedType = "declined";
    public const string DeclinedStatus = "terminated";

    public const string Processing = "PROCESSING";
    public const string Complete = "COMPLETE";
    public const string Completed = "COMPLETED";

    /// <summary>InvitationUpdate statuses, by analogy with the documented FileXferInvitationUpdate.</summary>
    public const string Accepted = "Accepted";
    public const string Declined = "Declined";
    public const string Expired = "Expired";

    /// <summary>
    /// A sequence is a time-like prefix (whole minutes since the Unix epoch when the session began) followed by an
    /// 8-digit running counter, like the documented 1018541300000024. Minutes keep the value 16 digits long and below
    /// 2^53 (so it survives JavaScript number parsing) until the year 2141.
    /// </summary>
    public static long SequenceBase(DateTimeOffset sessionStart) => sessionStart.ToUnixTimeSeconds() / 60 * 100_000_000L;

    /// <summary>Epoch milliseconds; SendMessage carries them as a JSON string (as its sample does), the rest as numbers.</summary>
    public static long Timestamp(TimeProvider time) => time.GetUtcNow().ToUnixTimeMilliseconds();
}
