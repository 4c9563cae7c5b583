using BemsServer.Client;
using BemsServer.Protocol.Data;

namespace BemsServer.IntegrationTests.Certification;

/// <summary>The fault a deliberately broken agent has.</summary>
public enum AgentFault
{
    None,
    /// <summary>Never sends MessageAck.</summary>
    NeverAcknowledges,
    /// <summary>Does not reconnect once the server dropped its socket.</summary>
    NeverComesBack,
}

/// <summary>
/// The reference agent of the certification self-test, on <see cref="BemsClient"/>: what docs/certification.md asks of a
/// certified client. It signs in, accepts invitations, acknowledges every message, obeys <c>certify:send &lt;contact&gt;
/// &lt;text&gt;</c>, refreshes its token on -32001, pings every half session timeout on <paramref name="clock"/> (the
/// server's, so that the virtual clock drives it) and reconnects when its socket drops. A <see cref="AgentFault"/> breaks
/// one of these on purpose.
/// </summary>
public sealed class ReferenceAgent(Uri uri, string user, TimeProvider clock, AgentFault fault = AgentFault.None) : IAsyncDisposable
{
    private const string Command = "certify:send ";
    private readonly CancellationTokenSource _stop = new();
    private volatile BemsClient? _client;
    private ITimer? _keepAlive;
    private Task _running = Task.CompletedTask;

    public async Task StartAsync()
    {
        var client = await SignInAsync();
        var timeout = TimeSpan.FromSeconds(await client.PingAsync());
        _keepAlive = clock.CreateTimer(_ => _ = PingAsync(), null, timeout / 2, timeout / 2);
        _running = RunAsync(client);
    }

    private async Task<BemsClient> SignInAsync()
    {
        var client = await BemsClient.ConnectAsync(uri, cancellationToken: _stop.Token);
        await client.BeginSessionAsync(user, cancellationToken: _stop.Token);
        _client = client;
        return client;
    }

    private async Task RunAsync(BemsClient client)
    {
        while (!_stop.IsCancellationRequested)
        {
            await foreach (var received in client.ReadEventsAsync(_stop.Token))
            {
                switch (received)
                {
                    case InvitationReceivedData invitation:
                        await Quietly(() => client.AcceptChatAsync(invitation.RequestId, _stop.Token));
                        break;
                    case MessageReceivedData message:
                        if (fault != AgentFault.NeverAcknowledges) await Quietly(() => client.MessageAckAsync(message.MessageId, cancellationToken: _stop.Token));
                        if (message.Message.StartsWith(Command, StringComparison.Ordinal)) _ = SendAsync(client, message.Message[Command.Length..]);
                        break;
                }
            }
            if (fault == AgentFault.NeverComesBack || _stop.IsCancellationRequested) return;
            _client = null;
            await client.DisposeAsync();
            client = await SignInAsync();
        }
    }

    /// <summary>Sends what a command asked, apart from the event loop (a COMPLETE may be held), refreshing the token when refused.</summary>
    private async Task SendAsync(BemsClient client, string command)
    {
        var space = command.IndexOf(' ', StringComparison.Ordinal);
        try
        {
            await client.SendMessageAsync(command[..space], command[(space + 1)..], cancellationToken: _stop.Token);
        }
        catch (BemsRpcException ex) when (ex.Code == -32001)
        {
            await Quietly(() => client.SetGDAuthTokenAsync(user, _stop.Token));
        }
        catch (Exception ex) when (ex is BemsRpcException or BemsConnectionClosedException or TimeoutException or OperationCanceledException)
        {
            // An error answer ends the request, not the agent.
        }
    }

    private async Task PingAsync()
    {
        if (_client is { } client) await Quietly(() => client.PingAsync(_stop.Token));
    }

    private static async Task Quietly(Func<Task> call)
    {
        try
        {
            await call();
        }
        catch (Exception ex) when (ex is BemsRpcException or BemsConnectionClosedException or TimeoutException or OperationCanceledException)
        {
            // The run judges what reached the server; the agent goes on.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _keepAlive?.Dispose();
        await _running.WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(static _ => { }, TaskScheduler.Default);
        if (_client is { } client) await client.DisposeAsync();
        _stop.Dispose();
    }
}
