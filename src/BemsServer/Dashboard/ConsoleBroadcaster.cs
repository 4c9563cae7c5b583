using BemsServer.Control;
using Microsoft.AspNetCore.SignalR;

namespace BemsServer.Dashboard;

/// <summary>
/// Drains the journal feed and sends each watching browser, at most every <see cref="Tick"/>, one batch holding the frames
/// that match its filter (at most <see cref="MaxBatch"/>, the newest; the rest are counted). A tenant that had traffic
/// gets a batch even when nothing matched, so the page knows to refresh its people, chats and advice.
/// </summary>
internal sealed partial class ConsoleBroadcaster(
    JournalFeed feed, ConsoleSubscriptions subscriptions, IHubContext<ConsoleHub> hub, ILogger<ConsoleBroadcaster> logger)
    : BackgroundService
{
    public static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);
    public const int MaxBatch = 200;
    public static readonly TimeSpan SendLimit = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var pending = new List<JournalEntry>();
        try
        {
            while (await feed.Reader.WaitToReadAsync(stoppingToken))
            {
                // Wall-clock pacing on purpose: a virtual server clock must not stop the console.
                await Task.Delay(Tick, TimeProvider.System, stoppingToken);
                while (feed.Reader.TryRead(out var entry)) pending.Add(entry);
                await SendAsync(pending);
                pending.Clear();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task SendAsync(List<JournalEntry> entries)
    {
        var rows = new Dictionary<long, FrameRow>();
        var lastSeq = entries[^1].Seq;
        var sends = new List<Task>();
        foreach (var (connection, filter) in subscriptions.All)
        {
            if (!entries.Exists(e => e.Tenant == filter.Tenant)) continue;
            var matching = entries.Where(filter.Matches).ToList();
            var sent = matching.Skip(Math.Max(0, matching.Count - MaxBatch))
                .Select(e => rows.TryGetValue(e.Seq, out var row) ? row : rows[e.Seq] = FrameRow.Of(e)).ToList();
            sends.Add(SendOneAsync(connection, new FrameBatch(filter.Tenant, sent, matching.Count - sent.Count, lastSeq)));
        }
        // Browsers are sent to side by side; a stalled one holds the next batch back at most SendLimit.
        try
        {
            await Task.WhenAll(sends).WaitAsync(SendLimit, TimeProvider.System);
        }
        catch (TimeoutException)
        {
        }
    }

    private async Task SendOneAsync(string connection, FrameBatch batch)
    {
        try
        {
            await hub.Clients.Client(connection).SendAsync(ConsoleClient.Frames, batch);
        }
        catch (Exception ex)
        {
            LogSendFailed(logger, connection, ex);
        }
    }

    [LoggerMessage(EventId = 1201, EventName = "ConsoleSendFailed", Level = LogLevel.Debug, Message = "Console batch to {Connection} failed")]
    private static partial void LogSendFailed(ILogger logger, string connection, Exception exception);
}
