using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace BemsServer.TestInfrastructure;

/// <summary>A received frame: its exact text and its parsed form.</summary>
public sealed record Frame(string Text, JsonObject Json)
{
    public string? Id => Json["id"] is JsonValue v && v.TryGetValue<string>(out var text) ? text : Json["id"]?.ToJsonString();
    public string? Method => (Json["result"]?["data"]?["method"] ?? Json["error"]?["data"]?["method"])?.GetValue<string>();
    public string? State => Json["result"]?["data"]?["state"]?.GetValue<string>();
    public JsonNode? Data => Json["result"]?["data"] ?? Json["error"]?["data"];
    public long? Sequence => Json["sequence"]?.GetValue<long>();
    public bool IsEvent => Id is { Length: > 0 } id && (id[0] == 'S' || id[0] == 's') && char.IsDigit(id[^1]);
    public override string ToString() => Text;
}

/// <summary>
/// A real <see cref="ClientWebSocket"/> speaking raw BEMS frames. A background loop collects every frame; tests wait for
/// the frame they expect, always with a bound.
/// </summary>
public sealed class WireClient : IAsyncDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    private readonly ClientWebSocket _socket;
    private readonly Channel<Frame> _incoming = Channel.CreateUnbounded<Frame>();
    private readonly List<Frame> _skipped = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _receiving;
    private volatile TaskCompletionSource _reading = Started();
    private int _nextId;

    private WireClient(ClientWebSocket socket)
    {
        _socket = socket;
        _receiving = Task.Run(ReceiveLoopAsync);
    }

    /// <summary>Every frame received so far, in wire order (including those already consumed).</summary>
    public List<Frame> History { get; } = [];

    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    /// <summary>The Set-Cookie header of the handshake response, if any.</summary>
    public string? SetCookie { get; private set; }

    /// <param name="receiveBufferBytes">The TCP receive buffer of the client's socket: small, a client that stops reading stalls the server's sends soon.</param>
    public static async Task<WireClient> ConnectAsync(Uri uri, string? cookie = null, Action<ClientWebSocketOptions>? configure = null, int? receiveBufferBytes = null)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        configure?.Invoke(socket.Options);
        if (cookie is not null) socket.Options.SetRequestHeader("Cookie", cookie);
        using var timeout = new CancellationTokenSource(DefaultTimeout);
        if (receiveBufferBytes is { } bytes)
        {
            using var invoker = new HttpMessageInvoker(new SocketsHttpHandler
            {
                ConnectCallback = async (context, cancellationToken) =>
                {
                    var tcp = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp)
                    {
                        NoDelay = true,
                        ReceiveBufferSize = bytes, // set before connecting, so the window the server sees is small from the start
                    };
                    await tcp.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new System.Net.Sockets.NetworkStream(tcp, ownsSocket: true);
                },
            });
            await socket.ConnectAsync(uri, invoker, timeout.Token);
        }
        else await socket.ConnectAsync(uri, timeout.Token);
        var client = new WireClient(socket);
        if (socket.HttpResponseHeaders?.TryGetValue("Set-Cookie", out var values) == true)
            client.SetCookie = string.Join("; ", values);
        return client;
    }

    public string NextId() => "c" + Interlocked.Increment(ref _nextId);

    public async Task SendRawAsync(string text)
    {
        using var timeout = new CancellationTokenSource(DefaultTimeout);
        await _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, timeout.Token);
    }

    /// <summary>Sends bytes as one text message, as they are (not necessarily valid UTF-8).</summary>
    public async Task SendTextBytesAsync(byte[] bytes)
    {
        using var timeout = new CancellationTokenSource(DefaultTimeout);
        await _socket.SendAsync(bytes, WebSocketMessageType.Text, true, timeout.Token);
    }

    /// <summary>Starts the closing handshake without waiting for anything the server still sends.</summary>
    public async Task CloseOutputAsync()
    {
        using var timeout = new CancellationTokenSource(DefaultTimeout);
        await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
    }

    /// <summary>Drops the connection at once (a TCP reset, no closing handshake).</summary>
    public void Abort() => _socket.Abort();

    public async Task SendBinaryAsync(byte[] bytes)
    {
        using var timeout = new CancellationTokenSource(DefaultTimeout);
        await _socket.SendAsync(bytes, WebSocketMessageType.Binary, true, timeout.Token);
    }

    /// <summary>Sends a request and returns its id.</summary>
    public async Task<string> SendAsync(string method, object? parameters = null, string? id = null)
    {
        id ??= NextId();
        var request = new JsonObject
        {
            ["method"] = method,
            ["params"] = JsonSerializer.SerializeToNode(parameters ?? new { }),
            ["id"] = id,
            ["jsonrpc"] = "2.0",
        };
        await SendRawAsync(request.ToJsonString());
        return id;
    }

    /// <summary>Sends a request and waits for its PROCESSING response and its COMPLETE notification.</summary>
    public async Task<(Frame Response, Frame Complete)> CallAsync(string method, object? parameters = null)
    {
        var id = await SendAsync(method, parameters);
        var response = await WaitForAsync(f => f.Id == id && f.Json.ContainsKey("error") && !f.Json.ContainsKey("sequence"), $"response to {id}");
        if (response.Json["error"] is JsonObject) throw new InvalidOperationException($"{method} failed: {response}");
        var complete = await WaitForAsync(f => f.Id == id && f.State == "COMPLETE" && f.Json.ContainsKey("sequence"), $"COMPLETE of {id}");
        return (response, complete);
    }

    /// <summary>Sends a request and waits for the first frame with its id.</summary>
    public async Task<Frame> RequestAsync(string method, object? parameters = null)
    {
        var id = await SendAsync(method, parameters);
        return await WaitForAsync(f => f.Id == id, $"answer to {id}");
    }

    public Task<Frame> ResponseToAsync(string id) => WaitForAsync(f => f.Id == id, $"answer to {id}");

    public Task<Frame> EventAsync(string method) => WaitForAsync(f => f.IsEvent && f.Method == method, $"event {method}");

    /// <summary>The next frame not yet consumed, in wire order.</summary>
    public Task<Frame> NextAsync() => WaitForAsync(_ => true, "any frame");

    /// <summary>Waits for the first unconsumed frame that matches; frames passed over stay available to later waits.</summary>
    public async Task<Frame> WaitForAsync(Func<Frame, bool> match, string what, TimeSpan? timeout = null)
    {
        var index = _skipped.FindIndex(f => match(f));
        if (index >= 0)
        {
            var found = _skipped[index];
            _skipped.RemoveAt(index);
            return found;
        }
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            while (true)
            {
                var frame = await _incoming.Reader.ReadAsync(cts.Token);
                if (match(frame)) return frame;
                _skipped.Add(frame);
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No {what} within {(timeout ?? DefaultTimeout).TotalSeconds:0.#} s. Unconsumed frames:\n{string.Join("\n", _skipped)}");
        }
        catch (ChannelClosedException)
        {
            throw new InvalidOperationException($"The connection closed ({CloseStatus}) before {what}. Unconsumed frames:\n{string.Join("\n", _skipped)}");
        }
    }

    /// <summary>Proves that nothing more arrives: sends a Ping and checks that its answers are the next frames.</summary>
    public async Task ExpectNothingPendingAsync()
    {
        var id = await SendAsync("Ping");
        var next = await NextAsync();
        next.Id.Should().Be(id, "no frame other than the Ping's answer was expected, but got {0}", next.Text);
        (await NextAsync()).Id.Should().Be(id);
    }

    /// <summary>Unconsumed frames received so far (without waiting).</summary>
    public IReadOnlyList<Frame> Pending()
    {
        while (_incoming.Reader.TryRead(out var frame)) _skipped.Add(frame);
        return [.. _skipped];
    }

    /// <summary>Stops reading the socket (a slow consumer): what the server sends piles up in the network and on the server.</summary>
    public void PauseReading() => _reading = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void ResumeReading() => _reading.TrySetResult();

    private static TaskCompletionSource Started()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        started.SetResult();
        return started;
    }

    public Exception? ReceiveFailure { get; private set; }

    public async Task<WebSocketCloseStatus?> WaitForCloseAsync()
    {
        await _receiving.WaitAsync(DefaultTimeout);
        return _socket.CloseStatus;
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[1 << 20];
        try
        {
            while (true)
            {
                var count = 0;
                ValueWebSocketReceiveResult result;
                await _reading.Task.WaitAsync(_stop.Token);
                do
                {
                    result = await _socket.ReceiveAsync(buffer.AsMemory(count), _stop.Token);
                    if (result.MessageType == WebSocketMessageType.Close) return;
                    count += result.Count;
                } while (!result.EndOfMessage);
                var text = Encoding.UTF8.GetString(buffer, 0, count);
                var frame = new Frame(text, JsonNode.Parse(text)!.AsObject());
                lock (History) History.Add(frame);
                _incoming.Writer.TryWrite(frame);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            ReceiveFailure = ex;
        }
        finally
        {
            _incoming.Writer.TryComplete();
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived) // CloseReceived: answer the server's close
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
        }
        ResumeReading();
        await _stop.CancelAsync();
        await _receiving.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(static _ => { }, TaskScheduler.Default);
        _socket.Dispose();
        _stop.Dispose();
    }
}
