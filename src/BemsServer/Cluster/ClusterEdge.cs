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
/// the socket, and what the socket did with those that carry a receipt goes back (<see cref="ReceiptReporter"/>). This
/// object is the node's <see cref="INodeObserver"/>.
/// </summary>
public sealed partial class ClusterEdge(
    IOptions<TransportOptions> options, TenantRegistry tenants, ServerStats stats, TimeProvider time, ILoggerFactory loggers,
    IHostApplicationLifetime lifetime, BemsMetrics? metrics = null)
    : INodeObserver, IWebSocketEngine
{
    private const int MaxForwardBatch = 256;

    /// <summary>The close code telling a client to reconnect (RFC 6455 registry: service restart).</summary>
    internal const int ServiceRestart = 1012;
    private static long _nextId;
    private readonly ConcurrentDictionary<string, Forwarder> _local = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SiloAddress> _holders = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ReceiptReporter> _reporters = new(StringComparer.Ordinal);
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
            var receipt = frame.Receipt == 0 ? null : Reporter(frame.Connection).For(frame.Receipt);
            if (!_local.TryGetValue(frame.Connection, out var connection))
            {
                receipt?.Dropped(); // closed meanwhile
                continue;
            }
            if (frame.Utf8 is { } utf8) connection.Socket.Send(new PreparedFrame(utf8) { Receipt = receipt });
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
        var id = _prefix + Interlocked.Increment(ref _nextId).ToString(CultureInfo.InvariantCulture);
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

    private ReceiptReporter Reporter(string connection) =>
        _local.TryGetValue(connection, out var forwarder) ? forwarder.Receipts : ReceiptReporter.Unknown;

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

        public Forwarder(ClusterEdge edge, ClientSocket socket, ITenantGrain grain, string tenant, string tenantNode)
        {
            (_edge, Socket, _grain, TenantNode) = (edge, socket, grain, tenantNode);
            Receipts = edge._reporters.GetOrAdd(tenant, _ => new ReceiptReporter(grain, edge._node, edge._logger));
            _forwarding = ForwardAsync();
        }

        public ClientSocket Socket { get; }
        public string TenantNode { get; }
        public ReceiptReporter Receipts { get; }

        public ValueTask Received(ReadOnlySpan<byte> utf8, SocketRefusal? refusal)
        {
            var message = new InboundMessage(utf8.ToArray(), refusal?.Code ?? 0, refusal?.Message);
            return _forward.Writer.TryWrite(message) ? default : _forward.Writer.WriteAsync(message);
        }

        public void Ended()
        {
            _forward.Writer.TryComplete();
            _ = TellClosedAsync();
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

        /// <summary>After the messages already read have gone (bounded): the session ends on the tenant's node.</summary>
        private async Task TellClosedAsync()
        {
            try
            {
                await _forwarding.WaitAsync(TimeSpan.FromSeconds(10));
                await _grain.Closed(_edge._node, Socket.Id).WaitAsync(TimeSpan.FromSeconds(10));
            }
#pragma warning disable CA1031 // The tenant's node is gone: its sessions went with it.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogCloseNotDelivered(_edge._logger, Socket.Id, ex);
            }
        }
    }

    [LoggerMessage(EventId = 503, Level = LogLevel.Warning, Message = "Connection {ConnectionId}: its tenant's node was not told of its end")]
    private static partial void LogCloseNotDelivered(ILogger logger, string connectionId, Exception exception);

    [LoggerMessage(EventId = 504, Level = LogLevel.Warning, Message = "Connection {ConnectionId}: its messages could not be forwarded to its tenant's node")]
    private static partial void LogForwardFailed(ILogger logger, string connectionId, Exception exception);
}

/// <summary>
/// Reports to a tenant's node, in batches and one call at a time, what this node's sockets did with the frames that
/// carried a receipt: written by a socket send, or dropped.
/// </summary>
internal sealed partial class ReceiptReporter
{
    /// <summary>For a frame whose connection is not (or no longer) on this node: nobody to report to.</summary>
    public static readonly ReceiptReporter Unknown = new(null, "", null);

    private const int MaxBatch = 1024;
    private readonly Channel<(long Number, bool Written)> _reports =
        Channel.CreateUnbounded<(long, bool)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ITenantGrain? _grain;
    private readonly string _node;
    private readonly ILogger? _logger;

    public ReceiptReporter(ITenantGrain? grain, string node, ILogger? logger)
    {
        (_grain, _node, _logger) = (grain, node, logger);
        if (grain is not null) _ = Task.Run(PumpAsync);
    }

    public IDeliveryReceipt For(long number) => new Receipt(this, number);

    private void Report(long number, bool written)
    {
        if (_grain is not null) _reports.Writer.TryWrite((number, written));
    }

    private async Task PumpAsync()
    {
        var written = new List<long>();
        var dropped = new List<long>();
        var reader = _reports.Reader;
        while (await reader.WaitToReadAsync())
        {
            written.Clear();
            dropped.Clear();
            while (written.Count + dropped.Count < MaxBatch && reader.TryRead(out var report))
                (report.Written ? written : dropped).Add(report.Number);
            try
            {
                await _grain!.Receipts(_node, [.. written], [.. dropped]);
            }
#pragma warning disable CA1031 // The tenant's node is gone: the senders waiting on these receipts went with it.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogNotReported(_logger!, written.Count + dropped.Count, ex);
            }
        }
    }

    private sealed class Receipt(ReceiptReporter reporter, long number) : IDeliveryReceipt
    {
        public void Written() => reporter.Report(number, written: true);

        public void Dropped() => reporter.Report(number, written: false);
    }

    [LoggerMessage(EventId = 505, Level = LogLevel.Warning, Message = "{Count} delivery receipts could not be reported to their tenant's node")]
    private static partial void LogNotReported(ILogger logger, int count, Exception exception);
}
