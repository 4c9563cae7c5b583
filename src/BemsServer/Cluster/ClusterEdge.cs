using System.Collections.Concurrent;
using System.Globalization;
using System.Net.WebSockets;
using System.Threading.Channels;
using BemsServer.Diagnostics;
using BemsServer.Features.Sessions;
using BemsServer.Protocol;
using BemsServer.Tenancy;
using BemsServer.Transport;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Orleans.Runtime.Placement;

namespace BemsServer.Cluster;

/// <summary>
/// The sockets this node holds in cluster mode: each is the same socket half as on one node (<see cref="ClientSocket"/>),
/// whose session half lives on the node that holds its tenant. Its messages go there as read, in arrival order, one grain
/// call at a time (<see cref="Forwarder"/>); the frames that node sends back, already numbered and serialized, go into
/// the socket, and what the socket did with those that carry a receipt goes back, then the connection's end
/// (<see cref="Uplink"/>, one per tenant while this node has connections to it). This
/// object is the node's <see cref="INodeObserver"/>.
/// </summary>
internal sealed partial class ClusterEdge(
    IOptions<TransportOptions> options, TenantRegistry tenants, ServerStats stats, TimeProvider time, ILoggerFactory loggers,
    IHostApplicationLifetime lifetime, BemsMetrics? metrics = null)
    : INodeObserver, IWebSocketEngine
{
    private const int MaxForwardBatch = 256;

    /// <summary>The close code telling a client to reconnect (RFC 6455 registry: service restart).</summary>
    internal const int ServiceRestart = 1012;
    private readonly ConcurrentDictionary<string, Forwarder> _local = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SiloAddress> _holders = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Uplink> _uplinks = new(StringComparer.Ordinal);
    private readonly ILogger _logger = loggers.CreateLogger<ClusterEdge>();
    private readonly ILogger _socketLogger = loggers.CreateLogger<ClientSocket>();
    private IGrainFactory? _grains;
    private INodeObserver? _self;
    private string _node = "";
    private string _prefix = "conn-";

    internal void Start(IGrainFactory grains, string node, int siloPort)
    {
        (_grains, _node) = (grains, node);
        _prefix = $"conn-{siloPort.ToString(CultureInfo.InvariantCulture)}-";
        _self = grains.CreateObjectReference<INodeObserver>(this);
    }

    /// <summary>The cluster's grains, as this node reaches them.</summary>
    public IGrainFactory Grains => _grains ?? throw new InvalidOperationException("The cluster node has not started.");

    public Task Deliver(EdgeFrame[] frames)
    {
        foreach (var frame in frames)
        {
            // Closed meanwhile: its tenant's node drops what it never heard of when it learns of the end.
            if (!_local.TryGetValue(frame.Connection, out var connection)) continue;
            if (frame.Utf8 is { } utf8)
                connection.Socket.Send(new PreparedFrame(utf8) { Receipt = frame.Receipt == 0 ? null : connection.Uplink.Receipt(frame.Receipt) });
            else connection.Socket.Close(frame.CloseCode, frame.CloseReason);
        }
        return Task.CompletedTask;
    }

    /// <summary>
    /// Asks Orleans, for the grain calls that follow in this async flow, to place the tenant's grain on the node known to
    /// hold its state if the grain has to be activated again (Orleans deactivates a grain whose directory entry was kept
    /// by a node that died; the state stays in the holding node's engine).
    /// </summary>
    internal void Hint(string tenantName)
    {
        if (_holders.TryGetValue(tenantName, out var holder)) RequestContext.Set(IPlacementDirector.PlacementHintKey, holder);
        else RequestContext.Remove(IPlacementDirector.PlacementHintKey);
    }

    /// <summary>The node holding some of this node's tenants left: their clients are told to reconnect (1012).</summary>
    public void NodeLeft(string node)
    {
        foreach (var (tenant, holder) in _holders)
            if (holder.ToParsableString() == node) _holders.TryRemove(tenant, out _);
        foreach (var connection in _local.Values.Where(c => c.TenantNode == node))
            connection.Socket.Close(ServiceRestart, "service restart: the node holding this tenant left the cluster; reconnect");
    }

    public IEnumerable<ClientSocket> Sockets => _local.Values.Select(static c => c.Socket);

    /// <summary>The WebSocket endpoint in cluster mode: the tenant's grain accepts (or refuses) the connection first.</summary>
    public async Task AcceptAsync(HttpContext context, string? tenantName)
    {
        if (tenantName is not null)
        {
            // Names refused whatever the tenant's node holds are refused here, before any grain exists for them.
            var invalid = !TenantRegistry.IsValidName(tenantName) ? TenantRefusal.InvalidName
                : TenantRegistry.IsReserved(tenantName) ? TenantRefusal.Reserved : TenantRefusal.None;
            if (invalid != TenantRefusal.None)
            {
                await WebSocketEndpoint.RefuseAsync(context, tenants.Describe(invalid, tenantName), invalid);
                return;
            }
        }
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await WebSocketEndpoint.UpgradeRequiredAsync(context);
            return;
        }
        var name = tenantName ?? TenantRegistry.DefaultName;
        var grain = Grains.GetGrain<ITenantGrain>(name);
        var id = ProcessIds.Next(_prefix);
        var cookie = WebSocketEndpoint.DeviceCookie(context);
        Hint(name);
        var answer = await grain.Open(_node, _self!, id, cookie);
        _holders[name] = SiloAddress.FromParsableString(answer.Node);
        Hint(name);
        if (answer.Refusal != 0)
        {
            await WebSocketEndpoint.RefuseAsync(context, answer.Description ?? "", (TenantRefusal)answer.Refusal);
            return;
        }
        using var webSocket = await context.WebSockets.AcceptWebSocketAsync();
        var socket = new ClientSocket(webSocket, SendBatch.Of(context), id, options.Value, time, metrics, _socketLogger);
        var connection = new Forwarder(this, socket, grain, name, answer.Node);
        _local[id] = connection;
        using var goingAway = lifetime.ApplicationStopping.Register(() => socket.Close((int)WebSocketCloseStatus.EndpointUnavailable, "server shutting down"));
        stats.ConnectionOpened();
        try
        {
            await socket.RunAsync(connection, IFrameEncoder.Prepared, context.RequestAborted);
        }
        finally
        {
            _local.TryRemove(id, out _);
            stats.ConnectionClosed();
        }
    }

    /// <summary>The tenant's uplink, shared by this node's connections to it while any is open (then forgotten).</summary>
    private Uplink AcquireUplink(string tenant, ITenantGrain grain)
    {
        lock (_uplinks)
        {
            if (!_uplinks.TryGetValue(tenant, out var uplink)) _uplinks[tenant] = uplink = new Uplink(grain, _node, () => Hint(tenant), _logger);
            uplink.Users++;
            return uplink;
        }
    }

    private void ReleaseUplink(string tenant, Uplink uplink)
    {
        lock (_uplinks)
        {
            if (--uplink.Users > 0) return;
            _uplinks.Remove(tenant);
        }
        uplink.Complete(); // what it holds still goes, then its pump ends
    }

    /// <summary>
    /// A socket this node holds, as its session half's sink: each message read goes to the tenant's node, in arrival
    /// order, by one call at a time (up to <see cref="MaxForwardBatch"/> messages per call).
    /// </summary>
    private sealed class Forwarder : IMessageSink
    {
        private readonly ClusterEdge _edge;
        private readonly ITenantGrain _grain;
        private readonly Channel<InboundMessage> _forward =
            Channel.CreateBounded<InboundMessage>(new BoundedChannelOptions(1024) { SingleReader = true, SingleWriter = true });
        private readonly Task _forwarding;

        private readonly string _tenant;

        public Forwarder(ClusterEdge edge, ClientSocket socket, ITenantGrain grain, string tenant, string tenantNode)
        {
            (_edge, Socket, _grain, _tenant, TenantNode) = (edge, socket, grain, tenant, tenantNode);
            Uplink = edge.AcquireUplink(tenant, grain);
            _forwarding = ForwardAsync();
        }

        public ClientSocket Socket { get; }
        public string TenantNode { get; }
        public Uplink Uplink { get; }

        public ValueTask Received(ReadOnlyMemory<byte> utf8, SocketRefusal? refusal)
        {
            var message = new InboundMessage(utf8.ToArray(), refusal?.Code ?? 0, refusal?.Message);
            return _forward.Writer.TryWrite(message) ? default : _forward.Writer.WriteAsync(message);
        }

        public Task Ended()
        {
            _forward.Writer.TryComplete();
            return TellClosedAsync();
        }

        private async Task ForwardAsync()
        {
            await Task.Yield();
            var batch = new List<InboundMessage>(MaxForwardBatch);
            var reader = _forward.Reader;
            try
            {
                while (await reader.WaitToReadAsync())
                {
                    batch.Clear();
                    while (batch.Count < MaxForwardBatch && reader.TryRead(out var message)) batch.Add(message);
                    if (!await _grain.Dispatch(_edge._node, Socket.Id, [.. batch]))
                    {
                        Socket.Close(ServiceRestart, "service restart: the node holding this tenant restarted; reconnect");
                        return;
                    }
                }
            }
#pragma warning disable CA1031 // The tenant's node is unreachable: membership will declare it dead and close this socket.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogForwardFailed(_edge._logger, Socket.Id, ex);
                Socket.Close(ServiceRestart, "service restart: the node holding this tenant cannot be reached; reconnect");
            }
        }

        /// <summary>
        /// After the messages already read have gone, and once the socket's writer has stopped (both bounded), behind the
        /// socket's receipts on the uplink: the session ends on the tenant's node, which drops whatever the socket never
        /// reported on. A send still pending when the socket ended (a client cut off, then reading again) reports first.
        /// </summary>
        private async Task TellClosedAsync()
        {
            // Each wait on its own: forwarding that hangs does not skip the writer's; either way the end is told.
            await _forwarding.WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(static _ => { }, TaskScheduler.Default);
            await Socket.Writer.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(static _ => { }, TaskScheduler.Default);
            var told = Uplink.Closed(Socket.Id);
            _edge.ReleaseUplink(_tenant, Uplink);
            await told;
        }
    }

    [LoggerMessage(EventId = 504, Level = LogLevel.Warning, Message = "Connection {ConnectionId}: its messages could not be forwarded to its tenant's node")]
    private static partial void LogForwardFailed(ILogger logger, string connectionId, Exception exception);
}

/// <summary>
/// The way back from this node's sockets to one tenant's node, in order: what the sockets did with the frames that
/// carried a receipt (written by a socket send, or dropped), in batches, and each connection's end after its receipts.
/// One call at a time.
/// </summary>
internal sealed partial class Uplink
{
    private const int MaxBatch = 1024;
    private readonly Channel<(long Number, bool Written, Closing? Closed)> _reports =
        Channel.CreateUnbounded<(long, bool, Closing?)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ITenantGrain _grain;
    private readonly string _node;
    private readonly Action _hint;
    private readonly ILogger _logger;

    /// <param name="hint">Sets the placement hint for the tenant's grain (<see cref="ClusterEdge.Hint"/>) before each call.</param>
    public Uplink(ITenantGrain grain, string node, Action hint, ILogger logger)
    {
        (_grain, _node, _hint, _logger) = (grain, node, hint, logger);
        _ = Task.Run(PumpAsync);
    }

    /// <summary>Connections of this node using it (guarded by the edge's lock).</summary>
    public int Users { get; set; }

    public IDeliveryReceipt Receipt(long number) => new Report(this, number);

    /// <summary>Reports a connection's end after its receipts; completes once its tenant's node has it (or could not be told).</summary>
    public Task Closed(string connection)
    {
        var closing = new Closing(connection);
        if (!_reports.Writer.TryWrite((0, false, closing))) closing.Told.TrySetResult();
        return closing.Told.Task;
    }

    public void Complete() => _reports.Writer.TryComplete();

    private async Task PumpAsync()
    {
        var written = new List<long>();
        var dropped = new List<long>();
        var reader = _reports.Reader;
        while (await reader.WaitToReadAsync())
        {
            written.Clear();
            dropped.Clear();
            Closing? closed = null;
            while (closed is null && written.Count + dropped.Count < MaxBatch && reader.TryRead(out var report))
            {
                if (report.Closed is { } connection) closed = connection;
                else (report.Written ? written : dropped).Add(report.Number);
            }
            try
            {
                _hint();
                if (written.Count + dropped.Count > 0) await _grain.Receipts(_node, [.. written], [.. dropped]);
                if (closed is not null) await _grain.Closed(_node, closed.Connection).WaitAsync(TimeSpan.FromSeconds(10));
            }
#pragma warning disable CA1031 // The tenant's node is gone: the senders waiting on these receipts, and the sessions, went with it.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogNotReported(_logger, written.Count + dropped.Count, closed?.Connection ?? "-", ex);
            }
            closed?.Told.TrySetResult();
        }
    }

    private sealed record Closing(string Connection)
    {
        public TaskCompletionSource Told { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class Report(Uplink uplink, long number) : IDeliveryReceipt
    {
        public void Written() => uplink._reports.Writer.TryWrite((number, true, null));

        public void Dropped() => uplink._reports.Writer.TryWrite((number, false, null));
    }

    [LoggerMessage(EventId = 505, Level = LogLevel.Warning,
        Message = "{Count} delivery receipts (and the end of connection {ConnectionId}) could not be reported to their tenant's node")]
    private static partial void LogNotReported(ILogger logger, int count, string connectionId, Exception exception);
}
