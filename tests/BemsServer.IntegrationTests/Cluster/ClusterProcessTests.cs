using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using BemsServer.IntegrationTests.Infrastructure;

namespace BemsServer.IntegrationTests.Cluster;

/// <summary>
/// Two real server processes in cluster mode, as users run them: with Localhost membership (the second node names the
/// first), and with Redis membership against a real <c>redis-server</c> (one named by
/// <c>BEMS_TEST_REDIS</c>, or one this test starts from PATH; <c>.ci/install-deps.sh</c> installs it).
/// </summary>
public sealed class ClusterProcessTests
{
    [Fact]
    public async Task LocalhostMembership_ClientsOnTwoProcessesChat_AndANodeThatDiesTakesItsSessionsWithIt()
    {
        var clusterId = "lh-" + Guid.NewGuid().ToString("N")[..8];
        var (silo1, gateway1, silo2, gateway2) = (FreePort(), FreePort(), FreePort(), FreePort());
        await using var node1 = await StartNodeAsync(clusterId, silo1, gateway1, ["--Bems:Cluster:Membership", "Localhost"]);
        Node? node2 = await StartNodeAsync(clusterId, silo2, gateway2,
            ["--Bems:Cluster:Membership", "Localhost", "--Bems:Cluster:PrimarySiloEndpoint", $"127.0.0.1:{silo1}"]);
        try
        {
            var (alice, bob) = await ChatAcrossAsync(node1.Address, node2.Address);
            await using var _ = alice;
            await alice.CallAsync("RegisterTempRemotePresence", new { contactId = "bob@example.com" });
            (await alice.EventAsync("PresenceUpdate")).Data!["presence"]!.GetValue<string>().Should().Be("available");

            await node2.DisposeAsync(); // killed, not stopped: the cluster finds out by its probes
            node2 = null;
            var sent = new List<string>();
            for (var i = 0; i < 5; i++) sent.Add(await alice.SendAsync("SendMessage", new { contactId = "bob@example.com", message = $"lost {i}", messageId = $"lost-{i}" }));
            (await alice.WaitForAsync(f => f.Method == "PresenceUpdate" && f.Data!["presence"]!.GetValue<string>() == "offline",
                "bob going offline with his node", TimeSpan.FromSeconds(60))).Should().NotBeNull();
            for (var i = 0; i < sent.Count; i++)
            {
                var (id, messageId) = (sent[i], $"lost-{i}");
                await alice.WaitForAsync(f => (f.Id == id && f.State == "COMPLETE") || (f.Method == "MessageUpdate" && f.Data!["messageId"]!.GetValue<string>() == messageId),
                    $"the one outcome of {id}", TimeSpan.FromSeconds(60));
            }
            await alice.CallAsync("Ping");
            for (var i = 0; i < sent.Count; i++)
            {
                var (id, messageId) = (sent[i], $"lost-{i}");
                alice.History.Count(f => (f.Id == id && f.State == "COMPLETE") || (f.Method == "MessageUpdate" && f.Data!["messageId"]!.GetValue<string>() == messageId))
                    .Should().Be(1, "a SendMessage accepted by a living node ends in exactly one outcome, even when its recipient's node died");
            }
            await bob.DisposeAsync();

            await using var again = await WireClient.ConnectAsync(new Uri($"ws://{node1.Address.Authority}/"));
            await again.CallAsync("BeginSession", new { gdAuthToken = "bob@example.com" });
            (await alice.EventAsync("PresenceUpdate")).Data!["presence"]!.GetValue<string>().Should().Be("available", "bob signed in again on the living node");
        }
        finally
        {
            if (node2 is not null) await node2.DisposeAsync();
        }
    }

    [Fact]
    public async Task RedisMembership_ClientsOnTwoProcessesChat_AndEitherNodeListsBothSessions()
    {
        await using var redis = await RedisServer.StartAsync();
        var clusterId = "redis-" + Guid.NewGuid().ToString("N")[..8];
        string[] membership = ["--Bems:Cluster:Membership", "Redis", "--Bems:Cluster:Redis", redis.Endpoint, "--Bems:Cluster:AdvertisedAddress", "127.0.0.1"];
        await using var node1 = await StartNodeAsync(clusterId, FreePort(), FreePort(), membership);
        await using var node2 = await StartNodeAsync(clusterId, FreePort(), FreePort(), membership);

        var (alice, bob) = await ChatAcrossAsync(node1.Address, node2.Address);
        await using var _ = alice;
        await using var __ = bob;
        foreach (var node in new[] { node1.Address, node2.Address })
        {
            using var http = new HttpClient { BaseAddress = node, Timeout = TimeSpan.FromSeconds(20) };
            var users = JsonNode.Parse(await http.GetStringAsync(new Uri("admin/sessions", UriKind.Relative)))!.AsArray()
                .Where(static s => !s!["simulated"]!.GetValue<bool>()).Select(static s => s!["user"]!.GetValue<string>());
            users.Should().BeEquivalentTo(["sip:alice@example.com", "sip:bob@example.com"], $"node {node} answers for the cluster");
        }
    }

    /// <summary>Alice on the first node sends bob, on the second, a message through an invitation he accepts.</summary>
    private static async Task<(WireClient Alice, WireClient Bob)> ChatAcrossAsync(Uri first, Uri second)
    {
        var alice = await WireClient.ConnectAsync(new Uri($"ws://{first.Authority}/"));
        await alice.CallAsync("BeginSession", new { gdAuthToken = "alice@example.com" });
        var bob = await WireClient.ConnectAsync(new Uri($"ws://{second.Authority}/"));
        await bob.CallAsync("BeginSession", new { gdAuthToken = "bob@example.com" });

        var send = await alice.SendAsync("SendMessage", new { contactId = "bob@example.com", message = "from another process", messageId = "m-1" });
        var invitation = await bob.EventAsync("InvitationReceived");
        await bob.CallAsync("AcceptChat", new { requestId = invitation.Data!["requestId"]!.GetValue<string>() });
        (await bob.EventAsync("MessageReceived")).Data!["message"]!.GetValue<string>().Should().Be("from another process");
        (await alice.WaitForAsync(f => f.Id == send && f.State is "COMPLETE" or "FAILED", "SendMessage's outcome")).State.Should().Be("COMPLETE");
        return (alice, bob);
    }

    private static async Task<Node> StartNodeAsync(string clusterId, int siloPort, int gatewayPort, string[] membership)
    {
        var process = ServerProcess.Start([
            "--urls", "http://127.0.0.1:0", "--Bems:Cluster:Mode", "Orleans", "--Bems:Cluster:ClusterId", clusterId,
            "--Bems:Cluster:SiloPort", siloPort.ToString(CultureInfo.InvariantCulture),
            "--Bems:Cluster:GatewayPort", gatewayPort.ToString(CultureInfo.InvariantCulture), .. membership]);
        try
        {
            return new Node(process, await process.WaitUntilReadyAsync());
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    private sealed record Node(ServerProcess Process, Uri Address) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Process.DisposeAsync();
    }

    private static int FreePort() => ClusterHost.FreePort();

    /// <summary>The Redis <c>BEMS_TEST_REDIS</c> names, or a <c>redis-server</c> from PATH on a free loopback port.</summary>
    private sealed class RedisServer : IAsyncDisposable
    {
        private readonly Process? _process;

        private RedisServer(string endpoint, Process? process) => (Endpoint, _process) = (endpoint, process);

        public string Endpoint { get; }

        public static async Task<RedisServer> StartAsync()
        {
            if (Environment.GetEnvironmentVariable("BEMS_TEST_REDIS") is { Length: > 0 } given) return new RedisServer(given, null);
            var port = FreePort();
            var process = new Process
            {
                StartInfo = new ProcessStartInfo("redis-server",
                    ["--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
                {
                    RedirectStandardOutput = true,
                    UseShellExecute = false,
                },
            };
            var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            process.OutputDataReceived += (_, e) =>
            {
                if (e.Data?.Contains("Ready to accept connections", StringComparison.Ordinal) == true) ready.TrySetResult();
            };
            try
            {
                process.Start();
            }
            catch (System.ComponentModel.Win32Exception ex)
            {
                throw new InvalidOperationException("redis-server is not installed: run `bash .ci/install-deps.sh` (Debian package redis-server).", ex);
            }
            process.BeginOutputReadLine();
            await ready.Task.WaitAsync(TimeSpan.FromSeconds(30));
            return new RedisServer($"127.0.0.1:{port}", process);
        }

        public async ValueTask DisposeAsync()
        {
            if (_process is null) return;
            _process.Kill();
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            _process.Dispose();
        }
    }
}
