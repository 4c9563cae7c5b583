using System.Globalization;
using BemsServer.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace BemsServer.IntegrationTests.Hardening;

/// <summary>
/// Soak with random disconnects: senders stay connected while their recipients drop (reset or close) and come back at
/// random; every SendMessage must end in exactly one COMPLETE or one MessageUpdate. CI runs a short soak;
/// <c>BEMS_SOAK_MESSAGES=10000</c> runs a long one with the same test (see docs/reliability.md).
/// </summary>
public sealed class SoakTests(BemsHost host, ITestOutputHelper output) : IClassFixture<BemsHost>
{
    private const int Pairs = 4;

    private sealed class Recipient(string user)
    {
        public string User { get; } = user;
        public WireClient? Client { get; set; }
        public Task Accepting { get; set; } = Task.CompletedTask;
    }

    [Fact]
    public async Task SendMessage_RecipientsDropAtRandom_EveryMessageEndsExactlyOnce()
    {
        var messages = int.TryParse(Environment.GetEnvironmentVariable("BEMS_SOAK_MESSAGES"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 600;
        var random = new Random(20261130);
        var tenant = host.NewTenant(out _);
        var senders = new List<WireClient>();
        var recipients = Enumerable.Range(0, Pairs).Select(i => new Recipient($"soak-r{i}@example.com")).ToList();
        var sent = new List<(WireClient Sender, string Id, string MessageId)>();
        var disconnects = 0;
        try
        {
            for (var i = 0; i < Pairs; i++) senders.Add(await host.SignInAsync(tenant, $"soak-s{i}@example.com"));
            foreach (var recipient in recipients) await ConnectAsync(recipient, tenant);

            for (var m = 0; m < messages; m++)
            {
                var sender = senders[random.Next(Pairs)];
                var recipient = recipients[random.Next(Pairs)];
                var messageId = $"m{m}";
                sent.Add((sender, await sender.SendAsync("SendMessage", new { contactId = recipient.User, message = $"soak {m}", messageId }), messageId));
                if (random.Next(25) != 0) continue;
                var dropped = recipients[random.Next(Pairs)];
                if (dropped.Client is { } client)
                {
                    if (random.Next(2) == 0) client.Abort();
                    await client.DisposeAsync();
                    await dropped.Accepting.WaitAsync(WireClient.DefaultTimeout);
                    dropped.Client = null;
                    disconnects++;
                }
                if (random.Next(3) != 0) await ConnectAsync(dropped, tenant);
            }

            // Invitations a dropped recipient never answered end when the clock passes the invitation timeout.
            foreach (var sender in senders) await sender.CallAsync("Ping");
            host.Clock.Advance(TimeSpan.FromSeconds(61));
            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var (sender, id, messageId) in sent)
            {
                var outcome = await sender.WaitForAsync(f => IsOutcome(f, id, messageId), $"outcome of {id}", TimeSpan.FromSeconds(20));
                var key = outcome.State == "COMPLETE" ? "COMPLETE" : "MessageUpdate " + outcome.Data!["status"];
                counts[key] = counts.GetValueOrDefault(key) + 1;
            }
            foreach (var sender in senders) await sender.CallAsync("Ping");
            var doubled = sent.Count(s => s.Sender.History.ToList().Count(f => IsOutcome(f, s.Id, s.MessageId)) != 1);

            output.WriteLine($"{messages} SendMessage, {disconnects} recipient disconnects: " +
                string.Join(", ", counts.OrderBy(static c => c.Key, StringComparer.Ordinal).Select(static c => $"{c.Key} {c.Value}")) + $"; not exactly one outcome: {doubled}");
            doubled.Should().Be(0);
            counts.Values.Sum().Should().Be(messages);
            disconnects.Should().BeGreaterThan(0);
        }
        finally
        {
            foreach (var client in senders) await client.DisposeAsync();
            foreach (var recipient in recipients)
                if (recipient.Client is { } client) await client.DisposeAsync();
        }
    }

    private static bool IsOutcome(Frame f, string id, string messageId) =>
        (f.Id == id && f.State == "COMPLETE") || (f.Method == "MessageUpdate" && f.Data?["messageId"]?.GetValue<string>() == messageId);

    /// <summary>Signs the recipient in again and accepts every invitation it gets until its connection ends.</summary>
    private async Task ConnectAsync(Recipient recipient, Uri tenant)
    {
        var client = await host.SignInAsync(tenant, recipient.User);
        recipient.Client = client;
        recipient.Accepting = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    var invitation = await client.WaitForAsync(f => f.IsEvent && f.Method == "InvitationReceived", "an invitation", TimeSpan.FromMinutes(10));
                    await client.SendAsync("AcceptChat", new { requestId = invitation.Data!["requestId"]!.GetValue<string>() });
                }
            }
            catch (Exception ex) when (ex is InvalidOperationException or System.Net.WebSockets.WebSocketException or OperationCanceledException or ObjectDisposedException or TimeoutException)
            {
                // the connection ended: so does accepting
            }
        });
    }
}
