using System.Net.WebSockets;

namespace BemsServer.Bench.Client;

/// <summary>Receives the parsed frames of one or more connections.</summary>
internal interface IFrameSink
{
    /// <summary>Called on the connection's receive loop; must not block.</summary>
    void OnFrame(WsConn conn, in Frame frame);

    void OnUnparsable(WsConn conn);

    /// <summary>The connection ended without the bench closing it.</summary>
    void OnClosed(WsConn conn, Exception? error);
}

/// <summary>
/// One client WebSocket with its own receive loop. Frames are parsed in place
/// from a per-connection buffer and handed to the current <see cref="Sink"/>.
/// </summary>
internal sealed class WsConn : IDisposable
{
    private const int InitialBuffer = 2048;
    private const int MaxFrame = 1 << 20;

    private readonly ClientWebSocket _ws;
    private byte[] _buffer = new byte[InitialBuffer];
    private IFrameSink _sink;
    private long _nextId;
    private volatile bool _closing;

    private WsConn(ClientWebSocket ws, string user, IFrameSink sink)
    {
        _ws = ws;
        User = user;
        _sink = sink;
    }

    /// <summary>The user this connection signs in as (bare form, "name@example.com").</summary>
    public string User { get; }

    public IFrameSink Sink
    {
        get => Volatile.Read(ref _sink);
        set => Volatile.Write(ref _sink, value);
    }

    /// <summary>The load pair this connection belongs to, if any.</summary>
    public Pair? Pair { get; set; }

    // Set-up bookkeeping (one request at a time per connection).
    internal long PendingId = -1;
    internal TaskCompletionSource<Frame>? Pending;
    internal TaskCompletionSource<string>? Invitation;

    /// <summary>R1 connection: any frame carrying the pending id (the echo) completes the request.</summary>
    internal bool Echo;

    public static async Task<WsConn> ConnectAsync(Uri uri, HttpMessageInvoker invoker, string user, IFrameSink sink, TimeSpan timeout)
    {
        var ws = new ClientWebSocket();
        ws.Options.KeepAliveInterval = TimeSpan.Zero;
        ws.Options.CollectHttpResponseDetails = false;
        try
        {
            using var cts = new CancellationTokenSource(timeout);
            await ws.ConnectAsync(uri, invoker, cts.Token);
        }
        catch
        {
            ws.Dispose();
            throw;
        }

        var conn = new WsConn(ws, user, sink);
        _ = conn.ReceiveLoopAsync();
        return conn;
    }

    public long NextId() => Interlocked.Increment(ref _nextId);

    public ValueTask SendAsync(ReadOnlyMemory<byte> frame) =>
        _ws.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);

    /// <summary>
    /// Sends from a dedicated (non-pool) thread: returns at once when the socket
    /// took the frame synchronously, which is the normal case, else waits for it.
    /// </summary>
    public void SendBlocking(ReadOnlyMemory<byte> frame)
    {
        var pending = SendAsync(frame);
        if (!pending.IsCompletedSuccessfully)
        {
            pending.AsTask().GetAwaiter().GetResult();
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var count = 0;
        Exception? error = null;
        try
        {
            while (true)
            {
                var result = await _ws.ReceiveAsync(_buffer.AsMemory(count), CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                count += result.Count;
                if (!result.EndOfMessage)
                {
                    if (count == _buffer.Length)
                    {
                        if (_buffer.Length >= MaxFrame)
                        {
                            throw new InvalidDataException("Frame larger than " + MaxFrame + " bytes.");
                        }

                        Array.Resize(ref _buffer, _buffer.Length * 2);
                    }

                    continue;
                }

                if (FrameParser.TryParse(_buffer.AsSpan(0, count), out var frame))
                {
                    Sink.OnFrame(this, in frame);
                }
                else
                {
                    Sink.OnUnparsable(this);
                }

                count = 0;
            }
        }
#pragma warning disable CA1031 // The receive loop reports every failure to its sink instead of crashing.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            error = ex;
        }

        if (!_closing)
        {
            Sink.OnClosed(this, error);
        }
    }

    public void Dispose()
    {
        _closing = true;
        _ws.Abort();
        _ws.Dispose();
    }
}
