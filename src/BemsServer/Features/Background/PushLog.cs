using System.Collections.Concurrent;
using BemsServer.Features.Directory;
using BemsServer.Features.Sessions;
using BemsServer.Protocol;
using BemsServer.Protocol.Admin;
using BemsServer.Protocol.Data;
using Microsoft.Extensions.Logging;

namespace BemsServer.Features.Background;

/// <summary>
/// A push notification the server would have handed to the BlackBerry Dynamics NOC (and on to APNS/FCM): for a Connect
/// session in background mode, for a presence subscription whose contact changed, or an app server's own GNP notify.
/// Kept per tenant for the admin API, logged, and sent on the live channel of its GNP token. <see cref="Source"/> says
/// which (<see cref="PushSources"/>); the fields a source has no value for are null (or 0).
/// </summary>
internal sealed record PushRecord(
    DateTimeOffset Time, string? UserId, string? SessionId, string? DeviceToken, string? GnpToken, string Event, string PushType,
    string Text, long Badge, string Source = PushSources.Connect);

/// <summary>Where a push came from.</summary>
internal static class PushSources
{
    /// <summary>An event to a Connect session in background mode (NotifyBackground).</summary>
    public const string Connect = "connect";

    /// <summary>A change of a contact a presence subscription watches.</summary>
    public const string Presence = "presence";

    /// <summary>An app server's <c>POST /GNP1.0?method=notify</c>.</summary>
    public const string Notify = "notify";
}

/// <summary>
/// A tenant's one push log, whatever the source, newest last, at most <see cref="Capacity"/> (the oldest are dropped),
/// with the GNP tokens the tenant knows and the live channels that follow them.
/// </summary>
internal sealed partial class PushLog(string tenant, UserDirectory directory, TimeProvider time, ILogger logger)
{
    public const int Capacity = 10_000;

    private readonly ConcurrentQueue<PushRecord> _records = new();

    /// <summary>The GNP tokens the tenant knows (a push to any other is refused as an invalid token).</summary>
    internal PushTokens Tokens { get; } = new();

    /// <summary>The live channels (<c>/gnp/channel?token=</c>) following the tokens.</summary>
    internal PushChannels Channels { get; } = new();

    internal TimeProvider Time => time;

    public IReadOnlyList<PushRecord> Snapshot() => [.. _records];

    /// <summary>Forgets every record (admin API); badges of live background sessions keep counting.</summary>
    public void Clear() => _records.Clear();

    /// <summary>Records the push a frame to a background session causes, if it is one a real server would push.</summary>
    public void Observe(Session session, BackgroundMode mode, OutboundFrame frame)
    {
        if (mode.PushType == PushTypes.None || frame is not EventFrame { Data: var data }) return;
        var (what, from, detail) = data switch
        {
            MessageReceivedData m => ("New message", m.ContactId, m.Message),
            InvitationReceivedData i => ("New chat invitation", i.ContactId, "wants to chat"),
            FileXferInvitationReceivedData f => ("New file", f.ContactId, "sends " + f.FileName),
            _ => default,
        };
        if (what is null) return;

        var name = directory.FindByAddress(from)?.DisplayName ?? from;
        var text = mode.PushType switch
        {
            PushTypes.Sender => $"{what} from {name}",
            PushTypes.SenderAndMessage => $"{name}: {detail}",
            _ => what,
        };
        if (mode.PushMaxLength is { } max && text.Length > max) text = text[..(int)Math.Max(0, max)];

        Record(new PushRecord(time.GetUtcNow(), session.User.Uri, session.Id, session.DeviceToken, session.GnpToken,
            data.Method, mode.PushType, text, mode.NextBadge()));
    }

    /// <summary>Records a push of any source, logs it, and sends its text on the live channels of its token.</summary>
    internal void Record(PushRecord record)
    {
        _records.Enqueue(record);
        while (_records.Count > Capacity) _records.TryDequeue(out _);
        LogPush(logger, tenant, record.UserId ?? "(no user)", record.SessionId ?? "none", record.Source, record.GnpToken ?? "none",
            record.Event, record.PushType, record.Badge, record.Text);
        if (record.GnpToken is { } token) Channels.Publish(token, record.Text);
    }

    [LoggerMessage(EventId = 301, Level = LogLevel.Information,
        Message = "Push to {UserId} (session {SessionId}, tenant {Tenant}, source {Source}, token {GnpToken}): {Event} as {PushType}, badge {Badge}: {Text}")]
    private static partial void LogPush(ILogger logger, string tenant, string userId, string sessionId, string source, string gnpToken,
        string @event, string pushType, long badge, string text);
}

/// <summary>A session's background mode as NotifyBackground set it; the badge counts the unread messages plus those pushed since.</summary>
internal sealed class BackgroundMode(long unreadMessageCount, string pushType, long? pushMaxLength, PushLog log)
{
    private long _badge = unreadMessageCount;

    public string PushType { get; } = pushType;
    public long? PushMaxLength { get; } = pushMaxLength;
    public PushLog Log { get; } = log;

    public long NextBadge() => Interlocked.Increment(ref _badge);
}
