using System.Collections.Concurrent;
using System.Globalization;
using System.Net.WebSockets;
using System.Threading.Channels;
using BemsServer.Diagnostics;
using BemsServer.Dispatch;
using BemsServer.Features.Sessions;
using BemsServer.Hosting;
using BemsServer.Protocol;
using BemsServer.Tenancy;
using BemsServer.Transport;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Orleans.Runtime.Placement;
using StreamJsonRpc;

namespace BemsServer.Cluster;

/// <summary>
/// The sockets this node holds in cluster mode. Each connection's messages are read and checked here (size, binary,
/// empty) and forwarded in arrival order to its tenant's grain, one call at a time; the frames the tenant's node sends
/// back (already numbered and serialized) go into the connection's outbox, which writes them with the same limits as
/// on one node. This object is the node's <see cref="INodeObserver"/>.
/// </summary>
public sealed partial class ClusterEdge(
    IOptions<TransportOptions> options, ServerStats stats, ILoggerFactory loggers, IHostApplicationLifetime lifetime, BemsMetrics? metrics = null)
    : INodeObserver
{
    private const int MaxForwardBatch = 256;

    /// <summary>The close code telling a client to reconnect (RFC 6455 registry: service restart).</summary>
    internal const int ServiceRestart = 1012;
    private static long _nextId;
    private readonly ConcurrentDictionary<string, EdgeConnection> _local = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SiloAddress> _holders = new(StringComparer.Ordinal);
    private readonly ILogger _logger = loggers.CreateLogger<ClusterEdge>();
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
            if (!_local.TryGetValue(frame.Connection, out var connection)) continue; // closed meanwhile
            if (frame.Utf8 is { } utf8) connection.Outbox.Deliver(new PreparedFrame(utf8));
            else connection.Close(frame.CloseCode, frame.CloseReason);
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
            connection.Close(ServiceRestart, "service restart: the node holding this tenant left the cluster; reconnect");
    }

    /// <summary>The WebSocket endpoint in cluster mode: the tenant's grain accepts (or refuses) the connection first.</summary>
    public async Task AcceptAsync(HttpContext context, string tenantName)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await WebSocketEndpoint.UpgradeRequiredAsync(context);
            return;
        }
        var grain = _grains!.GetGrain<ITenantGrain>(tenantName);
        var id = _prefix + Interlocked.Increment(ref _nextId).ToString(CultureInfo.InvariantCulture);
        var cookie = WebSocketEndpoint.DeviceCookie(context);
        Hint(tenantName);
        var answer = await grain.Open(_node, _self!, id, cookie);
        _holders[tenantName] = SiloAddress.FromParsableString(answer.Node);
        Hint(tenantName);
        if (answer.Refusal != 0)
        {
            context.Response.StatusCode = WebSocketEndpoint.StatusOf((TenantRefusal)answer.Refusal);
            await context.Response.WriteAsync(answer.Description + "\n");
            return;
        }
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        await RunAsync(socket, SendBatch.Of(context), grain, id, answer.Node, context.RequestAborted);
    }

    private async Task RunAsync(WebSocket socket, SendBatch? batch, ITenantGrain grain, string id, string tenantNode, CancellationToken aborted)
    {
        var limits = options.Value;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        var cut = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var outbox = new Outbox(socket, batch, new WireCounters(0), new OutboxLimits(limits.MaxQueuedFrames, limits.MaxQueuedBytes),
            onOverflow: () =>
            {
                BemsConnection.LogSlowConsumer(_logger, id, limits.MaxQueuedFrames, limits.MaxQueuedBytes);
                cut.TrySetResult();
            }, new RequestOutcomes(), IOutboxTap.None, metrics); // fault rules and the journal act on the tenant's node
        var connection = new EdgeConnection(outbox, tenantNode);
        _local[id] = connection;
        using var goingAway = lifetime.ApplicationStopping.Register(() => connection.Close((int)WebSocketCloseStatus.EndpointUnavailable, "server shutting down"));
        var forward = Channel.CreateBounded<InboundMessage>(new BoundedChannelOptions(1024) { SingleReader = true, SingleWriter = true });
        InboundMessage? read = null;
        var reader = new BemsMessageHandler(socket, outbox, metrics, limits.MaxMessageBytes, (ReadOnlySpan<byte> utf8, in InboundRequest request) =>
            read = !request.IsValid && request.Id.Equals(RequestId.Null) && request.Data is null
                ? new InboundMessage([], request.ErrorCode, request.Error) // the transport's own refusal (binary, oversized): nothing to parse
                : new InboundMessage(utf8.ToArray(), 0, null));
        stats.ConnectionOpened();
        var writing = outbox.RunAsync(stop.Token);
        var forwarding = ForwardAsync(forward.Reader, grain, id, connection, stop.Token);
        var reading = ReadAsync(reader, forward.Writer, () => read!, stop.Token);
        try
        {
            await Task.WhenAny(reading, writing, forwarding, cut.Task);
        }
#pragma warning disable CA1031 // A broken connection is an ordinary end of a connection.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            BemsConnection.LogConnectionFailed(_logger, id, ex);
        }
        finally
        {
            _local.TryRemove(id, out _);
            stats.ConnectionClosed();
            forward.Writer.TryComplete();
            try
            {
                await grain.Closed(_node, id).WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None);
            }
#pragma warning disable CA1031 // The tenant's node is gone: its sessions went with it.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogCloseNotDelivered(_logger, id, ex);
            }
            outbox.Complete();
            var (status, reason) = outbox.IsCut
                ? (WebSocketCloseStatus.PolicyViolation, BemsConnection.SlowConsumerReason)
                : (connection.CloseStatus, connection.CloseReason);
            await BemsConnection.CloseAsync(socket, writing, stop, status, reason, reading);
        }
    }

    private static async Task ReadAsync(BemsMessageHandler reader, ChannelWriter<InboundMessage> forward, Func<InboundMessage> read, CancellationToken cancellationToken)
    {
        while (await reader.ReadAsync(cancellationToken) is not null)
            await forward.WriteAsync(read(), cancellationToken);
    }

    /// <summary>One call at a time, so the tenant's node receives the connection's messages in the order they were read.</summary>
    private async Task ForwardAsync(ChannelReader<InboundMessage> messages, ITenantGrain grain, string id, EdgeConnection connection, CancellationToken cancellationToken)
    {
        var batch = new List<InboundMessage>(MaxForwardBatch);
        while (await messages.WaitToReadAsync(cancellationToken))
        {
            batch.Clear();
            while (batch.Count < MaxForwardBatch && messages.TryRead(out var message)) batch.Add(message);
            if (!await grain.Dispatch(_node, id, [.. batch]))
            {
                connection.Close(ServiceRestart, "service restart: the node holding this tenant restarted; reconnect");
                return;
            }
        }
    }

    /// <summary>A socket this node holds, and the node that holds its tenant.</summary>
    private sealed class EdgeConnection(Outbox outbox, string tenantNode)
    {
        public Outbox Outbox { get; } = outbox;
        public string TenantNode { get; } = tenantNode;
        public WebSocketCloseStatus CloseStatus { get; private set; } = WebSocketCloseStatus.NormalClosure;
        public string? CloseReason { get; private set; }

        public void Close(int code, string? reason)
        {
            (CloseStatus, CloseReason) = ((WebSocketCloseStatus)code, reason);
            Outbox.Complete();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connection {ConnectionId}: its tenant's node was not told of its end")]
    private static partial void LogCloseNotDelivered(ILogger logger, string connectionId, Exception exception);

}
