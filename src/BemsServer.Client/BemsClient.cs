using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using BemsServer.Protocol;
using BemsServer.Protocol.Data;

namespace BemsServer.Client;

/// <summary>
/// A BEMS-Connect client over one <see cref="ClientWebSocket"/>. A call's task completes with its COMPLETE's <c>data</c>
/// (the PROCESSING response in between is consumed), or throws <see cref="BemsRpcException"/> with the JSON-RPC error.
/// Server events arrive as typed records (<see cref="ReadEventsAsync"/>, <see cref="WaitForEventAsync(Func{BemsData, bool}, TimeSpan?, CancellationToken)"/>).
/// Every typed method is a thin wrapper over <see cref="CallAsync(string, JsonObject?, CancellationToken)"/>.
/// </summary>
public sealed partial class BemsClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly BemsClientOptions _options;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly ConcurrentDictionary<string, PendingCall> _calls = new();
    private readonly ConcurrentDictionary<string, PendingCall> _messages = new();
    private readonly EventQueue _events = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _receiving;
    private int _nextId;
    private int _nextMessageId;
    private volatile BemsConnectionClosedException? _closed;

    private BemsClient(ClientWebSocket socket, Uri uri, BemsClientOptions options, string? deviceToken)
    {
        _socket = socket;
        _options = options;
        Uri = uri;
        DeviceToken = deviceToken;
        _receiving = Task.Run(ReceiveLoopAsync);
    }

    /// <summary>The WebSocket address this client connected to.</summary>
    public Uri Uri { get; }

    /// <summary>This connection's device: the <c>deviceToken</c> cookie it sent, or the one the server set in the handshake.</summary>
    public string? DeviceToken { get; }

    /// <summary>The close status once the server closed the socket.</summary>
    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    /// <summary>Every event received so far, in wire order (taken or not).</summary>
    public IReadOnlyList<BemsData> ReceivedEvents => _events.History;

    /// <summary>Opens a WebSocket to a BEMS-Connect server (<c>ws://host:port/</c> or a tenant's <c>ws://host:port/t/{name}/</c>).</summary>
    public static async Task<BemsClient> ConnectAsync(Uri uri, BemsClientOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(uri);
        options ??= new BemsClientOptions();
        var socket = new ClientWebSocket();
        try
        {
            socket.Options.CollectHttpResponseDetails = true;
            if (options.DeviceToken is { } token) socket.Options.SetRequestHeader("Cookie", $"deviceToken={token}");
            options.ConfigureSocket?.Invoke(socket.Options);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.ConnectTimeout);
            await socket.ConnectAsync(uri, timeout.Token).ConfigureAwait(false);
            return new BemsClient(socket, uri, options, options.DeviceToken ?? DeviceCookie(socket));
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Calls any method and returns its COMPLETE's <c>data</c> (for answers without <c>data</c>, the <c>result</c>).
    /// Throws <see cref="BemsRpcException"/> on an error, <see cref="BemsMessageUpdateException"/> when a SendMessage ends in
    /// a MessageUpdate, <see cref="TimeoutException"/> after <see cref="BemsClientOptions.CallTimeout"/>.
    /// </summary>
    public async Task<JsonElement> CallAsync(string method, JsonObject? parameters = null, CancellationToken cancellationToken = default)
    {
        var answer = await InvokeAsync(method, parameters ?? [], cancellationToken).ConfigureAwait(false);
        return answer.Update is { } update ? throw new BemsMessageUpdateException(SendOutcome.From(update)) : answer.Data;
    }

    /// <summary>Calls any method with parameters serialized from an object (an anonymous type, a record, a dictionary).</summary>
    public Task<JsonElement> CallAsync(string method, object? parameters, CancellationToken cancellationToken = default) =>
        CallAsync(method, parameters as JsonObject ?? JsonSerializer.SerializeToNode(parameters, JsonSerializerOptions.Web)?.AsObject(), cancellationToken);

    /// <summary>
    /// Sends a chat message and waits for its one outcome: the COMPLETE (<see cref="SendOutcomeKind.Delivered"/>, with the
    /// chat id) or the MessageUpdate (declined, timed out). An unanswered invitation times out on the server's clock
    /// (<c>Bems:Chat:InvitationTimeout</c>), so with a virtual clock advance it while this waits.
    /// </summary>
    public async Task<SendOutcome> SendMessageAsync(string contactId, string message, string? messageId = null, CancellationToken cancellationToken = default)
    {
        messageId ??= "m" + Interlocked.Increment(ref _nextMessageId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var answer = await InvokeAsync(MethodNames.SendMessage, Params(("contactId", contactId), ("message", message), ("messageId", messageId)),
            cancellationToken).ConfigureAwait(false);
        return answer.Update is { } update
            ? SendOutcome.From(update)
            : new SendOutcome(SendOutcomeKind.Delivered, messageId, Text(answer.Data, "chatId"));
    }

    /// <summary>Takes the first event not yet taken that matches, already received or still to come (default wait: <see cref="BemsClientOptions.EventTimeout"/>).</summary>
    public Task<BemsData> WaitForEventAsync(Func<BemsData, bool> predicate, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        _events.TakeAsync(predicate, timeout ?? _options.EventTimeout, "matching event", cancellationToken);

    /// <summary>Takes the first event of type <typeparamref name="T"/> not yet taken that matches (all of them when no predicate).</summary>
    public async Task<T> WaitForEventAsync<T>(Func<T, bool>? predicate = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
        where T : BemsData =>
        (T)await _events.TakeAsync(e => e is T typed && (predicate is null || predicate(typed)), timeout ?? _options.EventTimeout, typeof(T).Name,
            cancellationToken).ConfigureAwait(false);

    /// <summary>The events not yet taken, then each new one as it arrives, taking them; ends when the connection closes.</summary>
    public async IAsyncEnumerable<BemsData> ReadEventsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (true)
        {
            BemsData next;
            try
            {
                next = await _events.TakeAsync(static _ => true, Timeout.InfiniteTimeSpan, "event", cancellationToken).ConfigureAwait(false);
            }
            catch (BemsConnectionClosedException)
            {
                yield break;
            }
            yield return next;
        }
    }

    /// <summary>The events received and not yet taken (without waiting).</summary>
    public IReadOnlyList<BemsData> PendingEvents => _events.Unconsumed;

    /// <summary>Waits until the server closes the connection and returns its close status.</summary>
    public async Task<WebSocketCloseStatus?> WaitForCloseAsync(TimeSpan? timeout = null)
    {
        await _receiving.WaitAsync(timeout ?? _options.EventTimeout).ConfigureAwait(false);
        return _socket.CloseStatus;
    }

    /// <summary>Closes the socket (normal closure) and fails whatever still waits.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // The server went first; nothing to close.
        }
        await _stop.CancelAsync().ConfigureAwait(false);
        await _receiving.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(static _ => { }, TaskScheduler.Default).ConfigureAwait(false);
        _socket.Dispose();
        _stop.Dispose();
        _sendLock.Dispose();
    }

    private async Task<Answer> InvokeAsync(string method, JsonObject parameters, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        var id = "c" + Interlocked.Increment(ref _nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var messageId = method == MethodNames.SendMessage && parameters["messageId"] is JsonValue value && value.TryGetValue<string>(out var m) ? m : null;
        var call = new PendingCall(method);
        _calls[id] = call;
        if (messageId is not null) _messages[messageId] = call;
        try
        {
            // Registered after the receive loop ended: nothing would ever answer.
            if (_closed is { } closed) throw closed;
            var request = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters, ["jsonrpc"] = "2.0" };
            await SendAsync(JsonSerializer.SerializeToUtf8Bytes(request, BemsClientJson.Default.JsonObject), cancellationToken).ConfigureAwait(false);
            return await call.Result.Task.WaitAsync(_options.CallTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"No answer to {method} ({id}) within {_options.CallTimeout.TotalSeconds:0.#} s.");
        }
        finally
        {
            _calls.TryRemove(id, out _);
            if (messageId is not null) _messages.TryRemove(KeyValuePair.Create(messageId, call));
        }
    }

    private async Task SendAsync(byte[] bytes, CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _socket.SendAsync(bytes, WebSocketMessageType.Text, true, cancellationToken).ConfigureAwait(false);
        }
        catch (WebSocketException ex)
        {
            throw new BemsConnectionClosedException("The connection is closed.", ex);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private static string? DeviceCookie(ClientWebSocket socket)
    {
        if (socket.HttpResponseHeaders?.TryGetValue("Set-Cookie", out var values) != true) return null;
        foreach (var part in values!.SelectMany(v => v.Split(';', StringSplitOptions.TrimEntries)))
            if (part.StartsWith("deviceToken=", StringComparison.Ordinal)) return part["deviceToken=".Length..];
        return null;
    }

    private readonly record struct Answer(JsonElement Data, MessageUpdateData? Update);

    private sealed class PendingCall(string method)
    {
        public string Method { get; } = method;
        public TaskCompletionSource<Answer> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
