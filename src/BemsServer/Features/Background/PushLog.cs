using System.Collections.Concurrent;
using BemsServer.Features.Directory;
using BemsServer.Features.Sessions;
using BemsServer.Protocol;
using BemsServer.Protocol.Admin;
using BemsServer.Protocol.Data;
using Microsoft.Extensions.Logging;

namespace BemsServer.Features.Background;

/// <summary>A tenant's push records, newest last, at most <see cref="Capacity"/> (the oldest are dropped).</summary>
internal sealed partial class PushLog(string tenant, UserDirectory directory, TimeProvider time, ILogger logger)
{
    public const int Capacity = 10_000;

    private readonly ConcurrentQueue<PushRecord> _records = new();

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

        var record = new PushRecord(time.GetUtcNow(), session.User.Uri, session.Id, session.DeviceToken, session.GnpToken,
            data.Method, mode.PushType, text, mode.NextBadge());
        _records.Enqueue(record);
        while (_records.Count > Capacity) _records.TryDequeue(out _);
        LogPush(logger, tenant, record.UserId, record.SessionId, record.Event, record.PushType, record.Badge, record.Text);
    }

    [LoggerMessage(EventId = 301, Level = LogLevel.Information,
        Message = "Push to {UserId} (session {SessionId}, tenant {Tenant}): {Event} as {PushType}, badge {Badge}: {Text}")]
    private static partial void LogPush(ILogger logger, string tenant, string userId, string sessionId, string @event, string pushType,
        long badge, string text);
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
