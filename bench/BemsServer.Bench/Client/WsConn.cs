using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;

namespace BemsServer.Bench.Client;

/// <summary>Receives the parsed frames of one or more connections.</summary>
internal interface IFrameSink
{
    /// <summary>Called on the thread that reads the connection (the event loop's, or a receive loop's); must not block.</summary>
    void OnFrame(WsConn conn, in Frame frame);

    void OnUnparsable(WsConn conn);

    /// <summary>The connection ended without the bench closing it.</summary>
    void OnClosed(WsConn conn, Exception? error);
}

/// <summary>
/// One client WebSocket over a plain socket: the bench writes the upgrade request and the frames itself (RFC 6455,
/// client side: text frames, masked; the server's frames unmasked). On Linux the socket is read by the one
/// <see cref="EventLoop"/>; elsewhere by a receive loop of its own. Frames are parsed in place from a per-connection
/// buffer and handed to the current <see cref="Sink"/>.
/// </summary>
/// <remarks>
/// Why not <c>ClientWebSocket</c>: profiled at half load (docs/performance.md, eleventh round), the load client paid per
/// message one system call for the mask key's random bytes, a wake-up of a socket engine thread per frame and a failed
/// read after each one, and a wake-up of the scheduler thread, each a costly round trip through this kind of machine's
/// hypervisor. Here a send is one system call and a frame's mask comes from a generator seeded once.
/// </remarks>
internal sealed class WsConn : IDisposable
{
    private const int InitialBuffer = 4096;
    private const int MaxFrame = 1 << 20;
    private const byte OpText = 0x1, OpClose = 0x8, OpPing = 0x9, OpPong = 0xA;

    private readonly Socket _socket;
    private readonly Lock _sendLock = new();
    private byte[] _rx = new byte[InitialBuffer];
    private int _rxStart;
    private int _rxEnd;
    private byte[] _tx = new byte[InitialBuffer];
    private ulong _maskState;
    private byte[]? _fragments;
    private int _fragmentLength;
    private IFrameSink _sink;
    private long _nextId;
    private volatile bool _closing;
    private int _ended;

    private WsConn(Socket socket, string user, IFrameSink sink)
    {
        _socket = socket;
        User = user;
        _sink = sink;
        Fd = (int)socket.Handle;
        Span<byte> seed = stackalloc byte[8];
        RandomNumberGenerator.Fill(seed);
        _maskState = BinaryPrimitives.ReadUInt64LittleEndian(seed) | 1;
    }

    /// <summary>The user this connection signs in as (bare form, "name@example.com").</summary>
    public string User { get; }

    /// <summary>The socket's file descriptor: its key in the event loop.</summary>
    internal int Fd { get; }

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

    /// <summary>
    /// Connects (from <paramref name="source"/> when given), upgrades to a WebSocket and starts reading. Every call on
    /// the socket before it is read is synchronous: an asynchronous one would register it with the runtime's socket
    /// engine, whose thread would then wake for every frame the event loop reads.
    /// </summary>
    public static Task<WsConn> ConnectAsync(Uri uri, IPAddress? source, string user, IFrameSink sink, TimeSpan timeout) =>
        Task.Run(() => Connect(uri, source, user, sink, timeout));

    private static WsConn Connect(Uri uri, IPAddress? source, string user, IFrameSink sink, TimeSpan timeout)
    {
        var address = IPAddress.TryParse(uri.IdnHost, out var literal) ? literal
            : Dns.GetHostAddresses(uri.IdnHost).OrderBy(a => a.AddressFamily != AddressFamily.InterNetwork).First();
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            if (source is not null) SourceAddress.Bind(socket, source);
            socket.SendTimeout = socket.ReceiveTimeout = (int)timeout.TotalMilliseconds;
            socket.Connect(new IPEndPoint(address, uri.Port));
            var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
            socket.Send(Encoding.ASCII.GetBytes(
                $"GET {uri.PathAndQuery} HTTP/1.1\r\nHost: {uri.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
                $"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"));
            var conn = new WsConn(socket, user, sink);
            conn.ReadUpgradeResponse(uri);
            socket.SendTimeout = socket.ReceiveTimeout = 0;
            socket.Blocking = false;
            if (EventLoop.Shared is { } loop)
            {
                loop.Add(conn);
            }
            else
            {
                _ = conn.ReceiveLoopAsync();
            }

            return conn;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Reads the 101 response; bytes after its head are the first frames. A refusal is a <see cref="WebSocketException"/>,
    /// which the start-up phase retries: polling a port that is not listening yet can connect a socket to itself.
    /// </summary>
    private void ReadUpgradeResponse(Uri uri)
    {
        while (true)
        {
            var n = _socket.Receive(_rx.AsSpan(_rxEnd));
            if (n == 0) throw new WebSocketException(WebSocketError.ConnectionClosedPrematurely, $"Connection to {uri} closed during the WebSocket upgrade.");
            _rxEnd += n;
            var end = _rx.AsSpan(0, _rxEnd).IndexOf("\r\n\r\n"u8);
            if (end < 0)
            {
                if (_rxEnd == _rx.Length) throw new WebSocketException(WebSocketError.HeaderError, $"Upgrade response from {uri} too long.");
                continue;
            }

            var lineEnd = _rx.AsSpan(0, end).IndexOf("\r\n"u8);
            var statusLine = Encoding.ASCII.GetString(_rx, 0, lineEnd >= 0 ? lineEnd : end);
            if (!statusLine.StartsWith("HTTP/1.1 101", StringComparison.Ordinal))
                throw new WebSocketException(WebSocketError.NotAWebSocket, $"WebSocket upgrade to {uri} refused: {statusLine}");
            _rxStart = end + 4;
            return;
        }
    }

    public long NextId() => Interlocked.Increment(ref _nextId);

    /// <summary>Sends one text frame at once (the socket takes it whole in the normal case); a failure is thrown.</summary>
    public ValueTask SendAsync(ReadOnlyMemory<byte> frame)
    {
        try
        {
            Send(OpText, frame.Span);
            return ValueTask.CompletedTask;
        }
#pragma warning disable CA1031 // Handed to the caller as a faulted send, as ClientWebSocket's did.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return ValueTask.FromException(ex);
        }
    }

    /// <summary>Sends one text frame from the calling thread.</summary>
    public void SendBlocking(ReadOnlyMemory<byte> frame) => Send(OpText, frame.Span);

    private void Send(byte opcode, ReadOnlySpan<byte> payload)
    {
        lock (_sendLock)
        {
            var header = payload.Length < 126 ? 2 : payload.Length <= ushort.MaxValue ? 4 : 10;
            var length = header + 4 + payload.Length;
            if (_tx.Length < length) _tx = new byte[Math.Max(length, _tx.Length * 2)];
            var tx = _tx.AsSpan(0, length);
            tx[0] = (byte)(0x80 | opcode);
            if (header == 2)
            {
                tx[1] = (byte)(0x80 | payload.Length);
            }
            else if (header == 4)
            {
                tx[1] = 0x80 | 126;
                BinaryPrimitives.WriteUInt16BigEndian(tx[2..], (ushort)payload.Length);
            }
            else
            {
                tx[1] = 0x80 | 127;
                BinaryPrimitives.WriteUInt64BigEndian(tx[2..], (ulong)payload.Length);
            }

            // xorshift64: a mask the server cannot predict is the browser's concern, not a load client's.
            _maskState ^= _maskState << 13;
            _maskState ^= _maskState >> 7;
            _maskState ^= _maskState << 17;
            var mask = (uint)_maskState;
            BinaryPrimitives.WriteUInt32LittleEndian(tx[header..], mask);
            Mask(payload, tx[(header + 4)..], mask);
            SendAll(tx);
        }
    }

    private static void Mask(ReadOnlySpan<byte> payload, Span<byte> target, uint mask)
    {
        var i = 0;
        var mask64 = ((ulong)mask << 32) | mask;
        for (; i + 8 <= payload.Length; i += 8)
            BinaryPrimitives.WriteUInt64LittleEndian(target[i..], BinaryPrimitives.ReadUInt64LittleEndian(payload[i..]) ^ mask64);
        for (; i < payload.Length; i++)
            target[i] = (byte)(payload[i] ^ (byte)(mask >> (8 * (i & 3))));
    }

    private void SendAll(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            var n = _socket.Send(data, SocketFlags.None, out var error);
            if (error == SocketError.WouldBlock)
            {
                // The socket's buffer is full: the server is not reading. Wait for room, bounded.
                if (!_socket.Poll(TimeSpan.FromSeconds(10), SelectMode.SelectWrite))
                    throw new IOException($"Send to the server blocked for 10 s ({User}).");
                continue;
            }

            if (error != SocketError.Success) throw new SocketException((int)error);
            data = data[n..];
        }
    }

    /// <summary>
    /// Called by the event loop when the socket is readable: reads what is there and hands over every whole frame.
    /// One read that does not fill the buffer has taken all there was; the loop (level-triggered) calls again if more came.
    /// </summary>
    internal void OnReadable()
    {
        try
        {
            while (true)
            {
                EnsureRoom();
                var n = _socket.Receive(_rx.AsSpan(_rxEnd), SocketFlags.None, out var error);
                if (error == SocketError.WouldBlock) return;
                if (error != SocketError.Success) throw new SocketException((int)error);
                if (n == 0)
                {
                    End(null);
                    return;
                }

                var full = _rxEnd + n == _rx.Length;
                _rxEnd += n;
                if (!Consume()) return;
                if (!full) return;
            }
        }
#pragma warning disable CA1031 // Every failure is the sink's to count, not the loop's to die of.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            End(ex);
        }
    }

    /// <summary>The portable reader: an asynchronous receive loop, where there is no event loop.</summary>
    private async Task ReceiveLoopAsync()
    {
        try
        {
            if (!Consume()) return;
            while (true)
            {
                EnsureRoom();
                var n = await _socket.ReceiveAsync(_rx.AsMemory(_rxEnd), SocketFlags.None);
                if (n == 0)
                {
                    End(null);
                    return;
                }

                _rxEnd += n;
                if (!Consume()) return;
            }
        }
#pragma warning disable CA1031
        catch (Exception ex)
#pragma warning restore CA1031
        {
            End(ex);
        }
    }

    /// <summary>Frees room at the buffer's end: moves what is left to the front, or grows it for a large frame.</summary>
    private void EnsureRoom()
    {
        if (_rxStart > 0)
        {
            _rx.AsSpan(_rxStart, _rxEnd - _rxStart).CopyTo(_rx);
            _rxEnd -= _rxStart;
            _rxStart = 0;
        }

        if (_rxEnd == _rx.Length)
        {
            if (_rx.Length >= MaxFrame + 14) throw new InvalidDataException("Frame larger than " + MaxFrame + " bytes.");
            Array.Resize(ref _rx, _rx.Length * 2);
        }
    }

    /// <summary>Hands over every whole frame in the buffer; false once the connection ended.</summary>
    private bool Consume()
    {
        while (true)
        {
            var available = _rx.AsSpan(_rxStart, _rxEnd - _rxStart);
            if (available.Length < 2) return true;
            var b0 = available[0];
            var b1 = available[1];
            if ((b1 & 0x80) != 0) throw new InvalidDataException("The server sent a masked frame.");
            long length = b1 & 0x7F;
            var header = 2;
            if (length == 126)
            {
                if (available.Length < 4) return true;
                length = BinaryPrimitives.ReadUInt16BigEndian(available[2..]);
                header = 4;
            }
            else if (length == 127)
            {
                if (available.Length < 10) return true;
                length = (long)BinaryPrimitives.ReadUInt64BigEndian(available[2..]);
                header = 10;
            }

            if (length > MaxFrame) throw new InvalidDataException("Frame larger than " + MaxFrame + " bytes.");
            if (available.Length < header + length) return true;
            var payload = available.Slice(header, (int)length);
            _rxStart += header + (int)length;
            var fin = (b0 & 0x80) != 0;
            switch (b0 & 0x0F)
            {
                case OpClose:
                    End(null);
                    return false;
                case OpPing:
                    Send(OpPong, payload);
                    break;
                case OpPong:
                    break;
                default: // text, binary or continuation
                    if (fin && _fragments is null)
                    {
                        Deliver(payload);
                    }
                    else
                    {
                        _fragments ??= new byte[Math.Max(InitialBuffer, payload.Length)];
                        if (_fragmentLength + payload.Length > MaxFrame) throw new InvalidDataException("Message larger than " + MaxFrame + " bytes.");
                        if (_fragments.Length < _fragmentLength + payload.Length) Array.Resize(ref _fragments, Math.Max(_fragments.Length * 2, _fragmentLength + payload.Length));
                        payload.CopyTo(_fragments.AsSpan(_fragmentLength));
                        _fragmentLength += payload.Length;
                        if (fin)
                        {
                            Deliver(_fragments.AsSpan(0, _fragmentLength));
                            _fragments = null;
                            _fragmentLength = 0;
                        }
                    }

                    break;
            }
        }
    }

    private void Deliver(ReadOnlySpan<byte> message)
    {
        if (FrameParser.TryParse(message, out var frame))
        {
            Sink.OnFrame(this, in frame);
        }
        else
        {
            Sink.OnUnparsable(this);
        }
    }

    /// <summary>The server ended the connection, or reading it failed: told once, unless the bench closed it.</summary>
    private void End(Exception? error)
    {
        if (Interlocked.Exchange(ref _ended, 1) != 0) return;
        EventLoop.Shared?.Remove(this);
        if (!_closing)
        {
            Sink.OnClosed(this, error);
        }
    }

    public void Dispose()
    {
        _closing = true;
        if (Interlocked.Exchange(ref _ended, 1) == 0) EventLoop.Shared?.Remove(this);
        _socket.Dispose();
    }
}
