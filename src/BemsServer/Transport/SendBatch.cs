using System.Buffers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace BemsServer.Transport;

/// <summary>
/// Lets the frames a connection's outbox writes together leave in one socket send, each still its own WebSocket
/// message. It decorates the upgraded stream under ASP.NET Core's own WebSocket (handshake and framing unchanged):
/// between <see cref="Begin"/> and <see cref="EndAsync"/> the WebSocket's writes are gathered, and the end (or
/// <see cref="MaxBytes"/> gathered) writes them at once. The outbox ends a batch as soon as its queue is empty, so a
/// lone frame is never delayed. Outside a batch, and for the WebSocket's own control frames (close, ping, pong) at any
/// time, writes go straight through.
/// An idle connection holds no buffer.
/// </summary>
internal sealed class SendBatch(Stream inner) : Stream
{
    /// <summary>A batch is written once it holds this much, even if more frames wait.</summary>
    public const int MaxBytes = 32 * 1024;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private byte[]? _buffer;
    private int _count;
    private volatile bool _batching;
    private CancellationToken _token;

    /// <summary>Installs the decorator on a WebSocket upgrade; call ahead of <c>UseWebSockets</c>.</summary>
    public static void Install(HttpContext context)
    {
        if (context.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true } upgrade)
            context.Features.Set<IHttpUpgradeFeature>(new Upgrade(upgrade));
    }

    /// <summary>The batch of an upgraded request, or null (another transport, such as HTTP/2 WebSockets or a test server).</summary>
    public static SendBatch? Of(HttpContext context) => (context.Features.Get<IHttpUpgradeFeature>() as Upgrade)?.Batch;

    /// <summary>
    /// Starts gathering. <paramref name="cancellationToken"/> (the connection's) cancels the batch's writes to the socket
    /// when the WebSocket's own write gives none: the outbox sends without one, as the WebSocket takes a slower path
    /// (a registration per send) for a token that can be cancelled, and its writes only land in the batch.
    /// </summary>
    public void Begin(CancellationToken cancellationToken)
    {
        _token = cancellationToken;
        _batching = true;
    }

    public async ValueTask EndAsync(CancellationToken cancellationToken)
    {
        _batching = false;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await WriteBufferedAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (!cancellationToken.CanBeCanceled) cancellationToken = _token;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (!_batching || IsControlFrame(buffer.Span))
            {
                // Outside a batch, or the WebSocket's own close, ping or pong: what was gathered, then this, leave now.
                // A close frame (1007 for invalid UTF-8) must not wait for a batch whose writer may never end it.
                await WriteBufferedAsync(cancellationToken);
                await inner.WriteAsync(buffer, cancellationToken);
                return;
            }
            Append(buffer.Span);
            if (_count >= MaxBytes) await WriteBufferedAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>A WebSocket frame whose opcode (the low 4 bits of its first byte) is 0x8–0xF: close, ping, pong.</summary>
    private static bool IsControlFrame(ReadOnlySpan<byte> frame) => frame.Length > 0 && (frame[0] & 0x08) != 0;

    private void Append(ReadOnlySpan<byte> data)
    {
        if (_buffer is null || _buffer.Length - _count < data.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_count + data.Length, 4096));
            if (_buffer is not null)
            {
                _buffer.AsSpan(0, _count).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(_buffer);
            }
            _buffer = larger;
        }
        data.CopyTo(_buffer.AsSpan(_count));
        _count += data.Length;
    }

    private async ValueTask WriteBufferedAsync(CancellationToken cancellationToken)
    {
        if (_buffer is not { } buffer) return;
        var count = _count;
        (_buffer, _count) = (null, 0);
        try
        {
            if (count > 0) await inner.WriteAsync(buffer.AsMemory(0, count), cancellationToken);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>The WebSocket flushes after every message: inside a batch that waits for the batch's end.</summary>
    public override Task FlushAsync(CancellationToken cancellationToken) =>
        _batching ? Task.CompletedTask : inner.FlushAsync(cancellationToken);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        inner.ReadAsync(buffer, offset, count, cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override void Flush() => FlushAsync().GetAwaiter().GetResult();

    public override bool CanRead => inner.CanRead;
    public override bool CanWrite => inner.CanWrite;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
            _gate.Dispose();
        }
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync();
        _gate.Dispose();
        await base.DisposeAsync();
    }

    /// <summary>The upgrade feature as the WebSocket middleware sees it: the upgraded stream comes back decorated.</summary>
    private sealed class Upgrade(IHttpUpgradeFeature upgrade) : IHttpUpgradeFeature
    {
        public SendBatch? Batch { get; private set; }

        public bool IsUpgradableRequest => upgrade.IsUpgradableRequest;

        public async Task<Stream> UpgradeAsync() => Batch = new SendBatch(await upgrade.UpgradeAsync());
    }
}
