using System.Buffers.Binary;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace BemsServer.IntegrationTests.Hardening.Fuzz;

/// <summary>
/// A WebSocket client written frame by frame on a TCP stream (RFC 6455), for what <see cref="System.Net.WebSockets.ClientWebSocket"/>
/// cannot send: any fragmentation, control frames between fragments, unsolicited pongs. A background loop reads the
/// server's text messages into <see cref="Messages"/> (skipping its control frames) all the time: a client that stops
/// reading while it sends is a slow consumer, and the server may stop reading it in turn (its pong waits behind a
/// blocked send).
/// </summary>
public sealed class RawWebSocket : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private readonly Random _masks;
    private Task _reading = Task.CompletedTask;

    private readonly System.Threading.Channels.Channel<string> _messages = System.Threading.Channels.Channel.CreateUnbounded<string>();
    private readonly CancellationTokenSource _stop = new();

    private RawWebSocket(TcpClient tcp, Random masks)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
        _masks = masks;
    }

    /// <summary>The server's text messages in wire order; completed when the server closed.</summary>
    public System.Threading.Channels.ChannelReader<string> Messages => _messages.Reader;

    private async Task ReadLoopAsync()
    {
        try
        {
            while (await ReceiveTextAsync(_stop.Token) is { } text) _messages.Writer.TryWrite(text);
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            _messages.Writer.TryComplete();
        }
    }

    public const byte Text = 0x1, Binary = 0x2, Continuation = 0x0, Close = 0x8, Ping = 0x9, Pong = 0xA;

    public static async Task<RawWebSocket> ConnectAsync(Uri uri, Random masks, CancellationToken cancellationToken)
    {
        var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync(uri.Host, uri.Port, cancellationToken);
        var socket = new RawWebSocket(tcp, masks);
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        var request = $"GET {uri.PathAndQuery} HTTP/1.1\r\nHost: {uri.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
                      $"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n";
        await socket._stream.WriteAsync(Encoding.ASCII.GetBytes(request), cancellationToken);
        var head = new StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await socket._stream.ReadAsync(one, cancellationToken) == 0) throw new IOException("The server closed during the handshake.");
            head.Append((char)one[0]);
        }
        if (!head.ToString().StartsWith("HTTP/1.1 101", StringComparison.Ordinal)) throw new IOException($"No upgrade: {head}");
        socket._reading = Task.Run(socket.ReadLoopAsync, CancellationToken.None);
        return socket;
    }

    /// <summary>Writes one frame, masked as a client must.</summary>
    public async Task SendFrameAsync(byte opcode, ReadOnlyMemory<byte> payload, bool fin, CancellationToken cancellationToken)
    {
        var header = new byte[14];
        header[0] = (byte)((fin ? 0x80 : 0) | opcode);
        int length;
        if (payload.Length < 126)
        {
            header[1] = (byte)(0x80 | payload.Length);
            length = 2;
        }
        else if (payload.Length <= ushort.MaxValue)
        {
            header[1] = 0x80 | 126;
            BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(2), (ushort)payload.Length);
            length = 4;
        }
        else
        {
            header[1] = 0x80 | 127;
            BinaryPrimitives.WriteUInt64BigEndian(header.AsSpan(2), (ulong)payload.Length);
            length = 10;
        }
        var mask = new byte[4];
        _masks.NextBytes(mask);
        mask.CopyTo(header, length);
        var frame = new byte[length + 4 + payload.Length];
        header.AsSpan(0, length + 4).CopyTo(frame);
        var body = payload.Span;
        for (var i = 0; i < body.Length; i++) frame[length + 4 + i] = (byte)(body[i] ^ mask[i & 3]);
        await _stream.WriteAsync(frame, cancellationToken);
    }

    /// <summary>The next text message from the server, or null once it closed (its close code in <see cref="CloseCode"/>).</summary>
    private async Task<string?> ReceiveTextAsync(CancellationToken cancellationToken)
    {
        var message = new MemoryStream();
        while (true)
        {
            var head = new byte[2];
            if (!await ReadExactlyAsync(head, cancellationToken)) return null;
            var opcode = head[0] & 0x0F;
            long length = head[1] & 0x7F;
            if (length == 126)
            {
                var ext = new byte[2];
                if (!await ReadExactlyAsync(ext, cancellationToken)) return null;
                length = BinaryPrimitives.ReadUInt16BigEndian(ext);
            }
            else if (length == 127)
            {
                var ext = new byte[8];
                if (!await ReadExactlyAsync(ext, cancellationToken)) return null;
                length = (long)BinaryPrimitives.ReadUInt64BigEndian(ext);
            }
            var payload = new byte[length];
            if (!await ReadExactlyAsync(payload, cancellationToken)) return null;
            if (opcode == Close)
            {
                CloseCode = payload.Length >= 2 ? BinaryPrimitives.ReadUInt16BigEndian(payload) : 1005;
                return null;
            }
            if (opcode is Ping or Pong) continue;
            message.Write(payload);
            if ((head[0] & 0x80) != 0) return Encoding.UTF8.GetString(message.ToArray());
        }
    }

    public int? CloseCode { get; private set; }

    private async Task<bool> ReadExactlyAsync(byte[] buffer, CancellationToken cancellationToken)
    {
        try
        {
            await _stream.ReadExactlyAsync(buffer, cancellationToken);
            return true;
        }
        catch (EndOfStreamException)
        {
            return false;
        }
        catch (IOException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _tcp.Dispose();
        await _reading.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(static _ => { }, TaskScheduler.Default);
        _stop.Dispose();
    }
}
