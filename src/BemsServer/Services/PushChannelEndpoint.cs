using System.Net.WebSockets;
using System.Text;
using BemsServer.Features.Background;
using BemsServer.Protocol.Services;

namespace BemsServer.Services;

/// <summary>
/// The emulator's live push channel, <c>/gnp/channel?token=…</c>: a WebSocket on which every push to the token (a
/// Connect background event, a presence change, an app server's notify) arrives as one text message, its text. What a
/// device's GNP channel would hand the app; a test or a device stand-in follows it. Opening it makes the token known.
/// The server sends only; the client's close ends it.
/// </summary>
internal static partial class PushChannelEndpoint
{
    public static void Map(IEndpointRouteBuilder group) =>
        group.MapGet(ServicePaths.PushChannel, FollowAsync)
            .Produces(StatusCodes.Status101SwitchingProtocols)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .WithSummary("Live push channel (WebSocket): one text message per push to ?token=.");

    private static async Task<IResult> FollowAsync(HttpContext context, string? token, ILogger<ServiceGate> logger)
    {
        if (!context.WebSockets.IsWebSocketRequest)
            throw new ServiceProblem(StatusCodes.Status426UpgradeRequired, "Open a WebSocket here: every push to ?token= arrives as one text message.");
        var tenant = ServiceGate.TenantOf(context);
        token ??= ""; // no token= is a malformed one
        switch (tenant.Pushes.Tokens.Learn(token, ownerKey: null))
        {
            case LearnOutcome.Malformed:
                throw ServiceProblem.BadRequest("The query lacks a usable token= (1-512 characters, no control characters).");
            case LearnOutcome.Full:
                throw new ServiceProblem(StatusCodes.Status503ServiceUnavailable, "The tenant already knows as many GNP tokens as it keeps.");
        }
        using var follower = tenant.Pushes.Channels.Follow(token)
            ?? throw new ServiceProblem(StatusCodes.Status409Conflict, $"The token already has {PushChannels.MaxFollowers} live followers.");

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        LogFollowing(logger, tenant.Name, token);
        using var closed = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        var receiving = ReceiveUntilClosedAsync(socket, closed);
        try
        {
            await foreach (var text in follower.Pushes.ReadAllAsync(closed.Token))
                await socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, closed.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
            // The client closed or went away.
        }
        await receiving;
        LogStopped(logger, tenant.Name, token);
        return TypedResults.Empty;
    }

    /// <summary>Reads (and drops) what the client sends until it closes; answers its close and cancels the sending.</summary>
    private static async Task ReceiveUntilClosedAsync(WebSocket socket, CancellationTokenSource closed)
    {
        var buffer = new byte[1024];
        try
        {
            while (!closed.IsCancellationRequested)
            {
                var received = await socket.ReceiveAsync(buffer, closed.Token);
                if (received.MessageType != WebSocketMessageType.Close) continue;
                if (socket.State == WebSocketState.CloseReceived)
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
                break;
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
            // Gone.
        }
        await closed.CancelAsync();
    }

    [LoggerMessage(EventId = 902, Level = LogLevel.Information, Message = "Push channel of token {Token} (tenant {Tenant}) opened")]
    private static partial void LogFollowing(ILogger logger, string tenant, string token);

    [LoggerMessage(EventId = 903, Level = LogLevel.Information, Message = "Push channel of token {Token} (tenant {Tenant}) closed")]
    private static partial void LogStopped(ILogger logger, string tenant, string token);
}
