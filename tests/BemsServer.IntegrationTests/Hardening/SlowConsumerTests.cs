using BemsServer.IntegrationTests.Infrastructure;

namespace BemsServer.IntegrationTests.Hardening;

/// <summary>A host that lets one connection queue at most 1 MB (and frames without a practical limit).</summary>
public sealed class SmallQueueHost() : BemsHost(new()
{
    ["Bems:Transport:MaxQueuedBytes"] = "1048576",
    ["Bems:Transport:MaxQueuedFrames"] = "1000000",
});

/// <summary>A client that stops reading is cut off by the bytes it lets pile up, not only by the count of frames.</summary>
public sealed class SlowConsumerTests(SmallQueueHost host) : IClassFixture<SmallQueueHost>
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
        var sent = new List<string>();
        var cut = host.Logs.WaitForAsync(l => l.Contains("queued", StringComparison.Ordinal) && l.Contains("closing it", StringComparison.Ordinal),
            "about the slow consumer", TimeSpan.FromSeconds(20));
        for (var i = 0; i < 400 && !cut.IsCompleted; i++)
            sent.Add(await alice.SendAsync("SendMessage", new { contactId = "bob@example.com", message = text, messageId = $"m{i}" }));
        await cut;
        bob.ResumeReading();

        (await bob.WaitForCloseAsync()).Should().Be(System.Net.WebSockets.WebSocketCloseStatus.PolicyViolation);
        var after = await alice.SendAsync("SendMessage", new { contactId = "bob@example.com", message = "still there?", messageId = "late" });
        (await alice.WaitForAsync(f => f.Method == "MessageUpdate" && f.Data!["messageId"]?.GetValue<string>() == "late", "MessageUpdate of the late message"))
            .Data!["status"]!.GetValue<string>().Should().Be("timeout", "bob is unreachable once cut off");
        await alice.CallAsync("Ping");
        var history = alice.History.ToList();
        for (var i = 0; i < sent.Count; i++)
        {
            var (id, messageId) = (sent[i], $"m{i}");
            history.Count(f => (f.Id == id && f.State == "COMPLETE") || (f.Method == "MessageUpdate" && f.Data!["messageId"]!.GetValue<string>() == messageId))
                .Should().Be(1, "SendMessage {0} ends in exactly one COMPLETE or MessageUpdate", id);
        }
        sent.Count.Should().BeLessThan(400, "the cut came while the sender was still sending");
        var received = bob.History.Count(static f => f.Method == "MessageReceived");
        var completed = history.Count(f => sent.Contains(f.Id!) && f.State == "COMPLETE");
        completed.Should().Be(received, "COMPLETE means the message reached bob's socket; the ones left queued when he was cut off end in MessageUpdate");
        history.Count(static f => f.Method == "MessageUpdate" && f.Data!["messageId"]!.GetValue<string>().StartsWith('m')).Should().BePositive();
    }
}
