using System.Text.Json;
using BemsServer.Control;
using BemsServer.Protocol.Admin;
using BemsServer.Tenancy;
using Microsoft.AspNetCore.SignalR;

namespace BemsServer.Dashboard;

/// <summary>
/// What the server calls on a browser. Sent untyped (<c>SendAsync</c>), not through a <c>Hub&lt;T&gt;</c> client interface:
/// SignalR implements such an interface in a dynamic assembly, which cannot implement an internal one.
/// </summary>
internal static class ConsoleClient
{
    /// <summary>A batch (<see cref="FrameBatch"/>): the frames matching the browser's filter since the last one, and whether its tenant changed.</summary>
    public const string Frames = "Frames";
}

/// <summary>
/// <paramref name="Skipped"/> counts matching frames left out to keep a batch bounded (the page says so); <paramref name="LastSeq"/>
/// is the journal position the batch reaches.
/// </summary>
internal sealed record FrameBatch(string Tenant, IReadOnlyList<FrameRow> Frames, int Skipped, long LastSeq);

/// <summary>The recent frames a browser starts (or resynchronises) from.</summary>
internal sealed record ConsoleSnapshot(string Tenant, IReadOnlyList<FrameRow> Frames, int Skipped, long LastSeq, long Dropped);

/// <summary>One frame in full, with the other frames of its request (PROCESSING, COMPLETE, MessageUpdate).</summary>
internal sealed record FrameDetail(FrameRow Row, string? Session, JsonElement Frame, IReadOnlyList<FrameRow> Related);

/// <summary>
/// The console's hub: thin on purpose. A browser subscribes with a filter and gets matching frames pushed by
/// <see cref="ConsoleBroadcaster"/>; it asks for a frame's detail and the advice here. Everything it changes (acting as a
/// user, faults, clock, reset, snapshots) goes through the admin API, so the console and a test suite use one path.
/// </summary>
internal sealed class ConsoleHub(ConsoleSubscriptions subscriptions, TenantRegistry tenants, Advisor advisor) : Hub
{
    /// <summary>Rows a snapshot holds at most: the browser keeps a window of this size.</summary>
    public const int Window = 1000;

    public ConsoleSnapshot Subscribe(ConsoleFilter filter)
    {
        var tenant = Resolve(filter.Tenant);
        filter = filter with { Tenant = tenant.Name };
        // Registered before the journal is read: a frame filed in between comes twice, never not at all (the page drops repeats by seq).
        subscriptions.Set(Context.ConnectionId, filter);
        var page = tenant.Control.Journal.Query(filter.Journal, int.MaxValue);
        var recent = page.Entries.Count > Window ? page.Entries.Skip(page.Entries.Count - Window) : page.Entries;
        return new ConsoleSnapshot(tenant.Name, [.. recent.Select(FrameRow.Of)], Math.Max(0, page.Entries.Count - Window), page.LastSeq, page.Dropped);
    }

    public void Pause() => subscriptions.Remove(Context.ConnectionId);

    public FrameDetail? Frame(string tenant, long seq)
    {
        var journal = Resolve(tenant).Control.Journal;
        var entry = journal.Query(new JournalFilter { After = seq - 1 }, 1).Entries.FirstOrDefault(e => e.Seq == seq);
        if (entry is null) return null;
        return new FrameDetail(FrameRow.Of(entry), entry.Session, entry.Frame, [.. RelatedFrames.Of(journal, entry).Select(FrameRow.Of)]);
    }

    public IReadOnlyList<Advice> Advice(string tenant) => advisor.For(Resolve(tenant));

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        subscriptions.Remove(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }

    private Tenant Resolve(string? name) =>
        string.IsNullOrEmpty(name) ? tenants.Default
        : TenantRegistry.IsValidName(name) ? tenants.GetOrCreate(name)
        : throw new HubException($"'{name}' is not a valid tenant name.");
}
