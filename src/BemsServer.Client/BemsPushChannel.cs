using System.Net.WebSockets;
using System.Text;
using BemsServer.Protocol.Services;

namespace BemsServer.Client;

/// <summary>
/// The emulator's live push channel of one GNP token (<c>ws://host:port/gnp/channel?token=…</c>, or under a tenant's
/// <c>/t/{name}/</c>): every push to the token — a Connect background event, a presence change, an app server's notify —
/// arrives as its text, in order. What a device's GNP channel would hand the app; a test reads it to follow pushes.
/// </summary>
public sealed class BemsPushChannel : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly byte[] _buffer = new byte[16 * 1024];

    private BemsPushChannel(ClientWebSocket socket) => _socket = socket;

    /// <summary>Follows the token's pushes from now on (opening the channel makes the token known to the server).</summary>
    /// <param name="baseAddress">The server's (or a tenant's) address, <c>http://</c> or <c>ws://</c>.</param>
    /// <param name="gnpToken">The push token to follow.</param>
    /// <param name="cancellationToken">Cancels the connect.</param>
    public static async Task<BemsPushChannel> ConnectAsync(Uri baseAddress, string gnpToken, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(baseAddress);
        ArgumentException.ThrowIfNullOrWhiteSpace(gnpToken);
        var scheme = baseAddress.Scheme is "https" or "wss" ? "wss" : "ws";
        var path = baseAddress.AbsolutePath.EndsWith('/') ? baseAddress.AbsolutePath : baseAddress.AbsolutePath + "/";
        var uri = new Uri($"{scheme}://{baseAddress.Authority}{path}{ServicePaths.PushChannel.TrimStart('/')}?token={Uri.EscapeDataString(gnpToken)}");
        var socket = new ClientWebSocket();
        try
        {
            await socket.ConnectAsync(uri, cancellationToken).ConfigureAwait(false);
            return new BemsPushChannel(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The next push's text, waiting at most <paramref name="timeout"/> (null: until cancelled), then
    /// <see cref="TimeoutException"/>; <see cref="WebSocketException"/> when the channel closed.
    /// </summary>
    public async Task<string> ReadAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (timeout is { } bound) bounded.CancelAfter(bound);
        try
        {
            using var message = new MemoryStream();
            while (true)
            {
                var received = await _socket.ReceiveAsync(_buffer, bounded.Token).ConfigureAwait(false);
                if (received.MessageType == WebSocketMessageType.Close)
                    throw new WebSocketException(WebSocketError.ConnectionClosedPrematurely, "The push channel closed.");
                message.Write(_buffer, 0, received.Count);
                if (received.EndOfMessage) return Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"No push within {timeout}.");
        }
    }

    /// <summary>Closes the channel.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "", bound.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // The server went first, or does not answer the close: nothing more to do.
        }
        _socket.Dispose();
    }
}
