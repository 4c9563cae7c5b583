using System.Net.WebSockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using BemsServer.IntegrationTests.Infrastructure;

namespace BemsServer.IntegrationTests.Hardening;

/// <summary>The slow-consumer settings these suites run with (the rest as users run the server).</summary>
internal static class SlowConsumerSettings
{
    /// <summary>One connection may queue at most 1 MB (and frames without a practical limit).</summary>
    public static Dictionary<string, string?> SmallQueue() => new()
    {
        ["Bems:Transport:MaxQueuedBytes"] = "1048576",
        ["Bems:Transport:MaxQueuedFrames"] = "1000000",
    };

    public static void SmallSendBuffers(WebApplicationBuilder builder) => builder.WebHost.UseSockets(static options =>
        options.CreateBoundListenSocket = static endpoint =>
        {
            var socket = SocketTransportOptions.CreateDefaultBoundListenSocket(endpoint);
            socket.SendBufferSize = 16 * 1024; // accepted sockets inherit it
            return socket;
        });

    public static readonly TimeSpan DeliveryTimeout = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan StallTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Queues far larger than the test fills, so only the stall rule and the delivery bound can end anything.</summary>
    public static Dictionary<string, string?> LargeQueue() => new()
    {
        ["Bems:Transport:MaxQueuedBytes"] = "268435456",
        ["Bems:Transport:MaxQueuedFrames"] = "1000000",
        ["Bems:Transport:StallTimeout"] = StallTimeout.ToString(),
        ["Bems:Chat:DeliveryTimeout"] = DeliveryTimeout.ToString(),
    };
}

public sealed class SmallQueueHost() : BemsHost(SlowConsumerSettings.SmallQueue());

public sealed class SmallQueueClusterHost() : ClusterHost(SlowConsumerSettings.SmallQueue());

/// <summary>
/// Servers whose sockets have a small, fixed send buffer (no kernel autotuning): a client that stops reading stalls the
/// server's sends within a few frames, in real time, before the test moves the server's clock.
/// </summary>
public sealed class StallHost() : BemsHost(SlowConsumerSettings.LargeQueue())
{
    protected override void Configure(WebApplicationBuilder builder) => SlowConsumerSettings.SmallSendBuffers(builder);
}

public sealed class StallClusterHost() : ClusterHost(SlowConsumerSettings.LargeQueue())
{
    protected override void Configure(WebApplicationBuilder builder) => SlowConsumerSettings.SmallSendBuffers(builder);
}

/// <summary>A client that stops reading is cut off by the bytes it lets pile up, not only by the count of frames.</summary>
public abstract class SlowConsumerContract(BemsHost host)
{
    [Fact]
    public async Task ClientThatStopsReading_LargeMessagesPileUp_IsCutOffByBytesWithACloseCodeAndALogLine()
    {
        var tenant = host.NewTenant(out _);
        await using var alice = await host.SignInAsync(tenant, "alice@example.com");
        await using var bob = await host.SignInAsync(tenant, "bob@example.com");
        await alice.OpenChatAsync(bob, "bob@example.com");
        bob.PauseReading();
        var text = new string('x', 60_000);

        // 60 KB each: far more than the network buffers and the 1 MB queue hold, far fewer frames than the frame limit.
        var sent = new List<(string Id, string MessageId)>();
        var cut = host.Logs.WaitForAsync(l => l.Contains("queued", StringComparison.Ordinal) && l.Contains("closing it", StringComparison.Ordinal),
            "about the slow consumer", TimeSpan.FromSeconds(20));
        for (var i = 0; i < 400 && !cut.IsCompleted; i++)
            sent.Add((await alice.SendAsync("SendMessage", new { contactId = "bob@example.com", message = $"m{i} {text}", messageId = $"m{i}" }), $"m{i}"));
        await cut;
        bob.ResumeReading();

        (await bob.WaitForCloseAsync()).Should().Be(WebSocketCloseStatus.PolicyViolation);
        await alice.SendAsync("SendMessage", new { contactId = "bob@example.com", message = "still there?", messageId = "late" });
        (await alice.WaitForAsync(f => f.Method == "MessageUpdate" && f.Data!["messageId"]?.GetValue<string>() == "late", "MessageUpdate of the late message"))
            .Data!["status"]!.GetValue<string>().Should().Be("timeout", "bob is unreachable once cut off");
        var outcomes = await Outcomes.EachAsync(alice, sent);
        var received = Outcomes.Snapshot(bob).Where(static f => f.Method == "MessageReceived").Select(static f => f.Data!["message"]!.GetValue<string>().Split(' ')[0]);
        Outcomes.CompletedMessageIds(alice, sent).Should().BeEquivalentTo(received,
            "COMPLETE means the message reached bob's socket; the ones left queued when he was cut off end in MessageUpdate");
        outcomes.TimedOut.Should().BePositive();
    }
}

/// <summary>
/// Issue 24's hostile client: V signs in with a small receive buffer and never reads again. F's messages to V fill the
/// network's buffers, then wait in V's queue far below its byte limit. Each still ends in one outcome: MessageUpdate
/// ack/timeout at the delivery bound (not before) for those no socket send took, and V is cut off (1008) once its socket
/// has taken nothing for the stall timeout.
/// </summary>
public abstract class StalledRecipientContract(BemsHost host)
{
    private const string StallLine = "stopped reading";

    [Fact]
    public async Task RecipientThatNeverReads_SendersGetMessageUpdateAtTheDeliveryBound_AndTheStalledSocketIsCutOff()
    {
        var tenant = host.NewTenant(out _);
        await using var alice = await host.SignInAsync(tenant, "alice@example.com");
        await using var bob = await host.SignInAsync(tenant, "bob@example.com", receiveBufferBytes: 4096);
        await alice.OpenChatAsync(bob, "bob@example.com");
        bob.PauseReading();
        var text = new string('v', 60_000);
        var stallsBefore = Stalls();

        // 80 × 60 KB = 4.8 MB: far more than the network's buffers hold, far less than the queue's limit.
        var sent = new List<(string Id, string MessageId)>();
        for (var i = 0; i < 80; i++)
            sent.Add((await alice.SendAsync("SendMessage", new { contactId = "bob@example.com", message = text, messageId = $"v{i}" }), $"v{i}"));
        foreach (var (id, _) in sent) await alice.ResponseToAsync(id);
        // Before the clock moves: on two nodes the frames reach bob's node through the cluster, a little later.
        host.WaitForPendingSend();

        host.Clock.Advance(SlowConsumerSettings.DeliveryTimeout - TimeSpan.FromTicks(1));
        await alice.CallAsync("Ping"); // the clock's timers ran inside Advance: any MessageUpdate they caused is ahead of this answer
        alice.History.Should().NotContain(static f => f.Method == "MessageUpdate", "no message times out before the delivery bound");
        host.Clock.Advance(TimeSpan.FromTicks(1));
        var outcomes = await Outcomes.EachAsync(alice, sent);

        outcomes.TimedOut.Should().BePositive("the messages bob's socket never took end at the bound");
        alice.History.Where(static f => f.Method == "MessageUpdate").Should()
            .OnlyContain(static f => f.Data!["type"]!.GetValue<string>() == "ack" && f.Data!["status"]!.GetValue<string>() == "timeout");
        Stalls().Should().Be(stallsBefore, "bob's socket has not taken nothing for the whole stall timeout yet");

        // The rest of the stall timeout, counted from the pending send's start, before the clock moved (OutboxTests pins
        // the cut to the instant).
        host.Clock.Advance(SlowConsumerSettings.StallTimeout - SlowConsumerSettings.DeliveryTimeout);
        await host.Logs.WaitForAsync(static l => l.Contains(StallLine, StringComparison.Ordinal) && l.Contains("closing it", StringComparison.Ordinal),
            "the stalled socket's cut");
        bob.ResumeReading();
        (await bob.WaitForCloseAsync()).Should().Be(WebSocketCloseStatus.PolicyViolation);
        var received = bob.History.Count(static f => f.Method == "MessageReceived");
        received.Should().BeLessThan(sent.Count, "bob was cut off with messages still queued");
        outcomes.Completed.Should().BeLessThanOrEqualTo(received, "a COMPLETE means bob's socket took the message");
        await alice.CallAsync("Ping");
        (await Outcomes.EachAsync(alice, sent)).Should().Be(outcomes, "neither the cut nor a late write adds a second outcome");
    }

    private int Stalls() => host.Logs.Snapshot().Count(static e => e.Message.Contains(StallLine, StringComparison.Ordinal));

    [Fact]
    public async Task RecipientThatReadsSlowly_IsNeverCutOff_AndEveryMessageCompletes()
    {
        var tenant = host.NewTenant(out _);
        await using var alice = await host.SignInAsync(tenant, "alice@example.com");
        await using var bob = await host.SignInAsync(tenant, "bob@example.com", receiveBufferBytes: 4096);
        await alice.OpenChatAsync(bob, "bob@example.com");
        var text = new string('s', 60_000);
        var sent = new List<(string Id, string MessageId)>();
        var stallsBefore = Stalls();

        // Bob reads one message per 9 s of the server's clock: slower than the sender, never stalled for the timeout.
        for (var i = 0; i < 6; i++)
        {
            bob.PauseReading();
            for (var j = 0; j < 4; j++)
                sent.Add((await alice.SendAsync("SendMessage", new { contactId = "bob@example.com", message = $"{i}-{j} {text}", messageId = $"s{i}-{j}" }), $"s{i}-{j}"));
            foreach (var (id, _) in sent.TakeLast(4)) await alice.ResponseToAsync(id);
            host.Clock.Advance(TimeSpan.FromSeconds(9));
            bob.ResumeReading();
            for (var j = 0; j < 4; j++)
            {
                var message = $"{i}-{j} {text}";
                await bob.WaitForAsync(f => f.Method == "MessageReceived" && f.Data!["message"]!.GetValue<string>() == message, $"message s{i}-{j}");
            }
            // Before the clock moves on: in cluster mode the socket's node reports the writes to the tenant's node, which decides.
            await Outcomes.EachAsync(alice, sent);
        }

        var outcomes = await Outcomes.EachAsync(alice, sent);
        outcomes.Should().Be((sent.Count, 0), "each message reached bob within the delivery bound");
        Stalls().Should().Be(stallsBefore, "a reader that keeps taking bytes is never cut off as stalled");
        await bob.CallAsync("Ping");
    }
}

/// <summary>Each SendMessage's outcome as its sender saw it.</summary>
internal static class Outcomes
{
    /// <summary>Waits until every message sent has an outcome, checks it has exactly one, and counts them.</summary>
    public static async Task<(int Completed, int TimedOut)> EachAsync(WireClient sender, IReadOnlyList<(string Id, string MessageId)> sent)
    {
        if (!Count(sender, sent).All(static n => n > 0))
            await sender.WaitForAsync(_ => Count(sender, sent).All(static n => n > 0), $"an outcome for each of {sent.Count} messages", TimeSpan.FromSeconds(20));
        Count(sender, sent).Should().OnlyContain(static n => n == 1, "every accepted SendMessage ends in exactly one COMPLETE or MessageUpdate");
        var messageIds = sent.Select(static s => s.MessageId).ToHashSet();
        return (CompletedMessageIds(sender, sent).Count,
            Snapshot(sender).Count(f => f.Method == "MessageUpdate" && messageIds.Contains(f.Data!["messageId"]!.GetValue<string>())));
    }

    /// <summary>The messageIds of the messages sent whose SendMessage got its COMPLETE.</summary>
    public static List<string> CompletedMessageIds(WireClient sender, IReadOnlyList<(string Id, string MessageId)> sent)
    {
        var completed = Snapshot(sender).Where(static f => f.State == "COMPLETE").Select(static f => f.Id).ToHashSet();
        return [.. sent.Where(s => completed.Contains(s.Id)).Select(static s => s.MessageId)];
    }

    /// <summary>The frames a client has received so far (its receive loop appends under the list's lock).</summary>
    public static List<Frame> Snapshot(WireClient client)
    {
        lock (client.History) return [.. client.History];
    }

    private static int[] Count(WireClient sender, IReadOnlyList<(string Id, string MessageId)> sent)
    {
        var history = Snapshot(sender);
        return [.. sent.Select(s => history.Count(f => (f.Id == s.Id && f.State == "COMPLETE")
            || (f.Method == "MessageUpdate" && f.Data!["messageId"]?.GetValue<string>() == s.MessageId)))];
    }
}

public sealed class SlowConsumerTests(SmallQueueHost host) : SlowConsumerContract(host), IClassFixture<SmallQueueHost>;

/// <summary>The same contract in cluster mode: the socket's node cuts the client off; its tenant's node decides each outcome.</summary>
public sealed class SlowConsumerClusterTests(SmallQueueClusterHost host) : SlowConsumerContract(host), IClassFixture<SmallQueueClusterHost>;

public sealed class StalledRecipientTests(StallHost host) : StalledRecipientContract(host), IClassFixture<StallHost>;

/// <summary>In cluster mode the socket's node detects the stall; the tenant's node decides each outcome at the delivery bound.</summary>
public sealed class StalledRecipientClusterTests(StallClusterHost host) : StalledRecipientContract(host), IClassFixture<StallClusterHost>;
