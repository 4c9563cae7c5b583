using BemsServer.IntegrationTests.Infrastructure;

namespace BemsServer.IntegrationTests.Robustness;

/// <summary>Frame order under concurrency: every COMPLETE after its own PROCESSING, sequences strictly increasing.</summary>
public abstract class OrderingContract(BemsHost host)
{
    [Fact]
    public async Task SendMessage_HundredsConcurrent_EachCompleteFollowsItsProcessingAndSequencesIncrease()
    {
        const int pairs = 6;
        const int messagesPerSender = 60;
        var tenant = host.NewTenant(out _);
        var senders = new List<WireClient>();
        var receivers = new List<WireClient>();
        for (var i = 0; i < pairs; i++)
        {
            senders.Add(await host.SignInAsync(tenant, $"sender{i}@example.com"));
            receivers.Add(await host.SignInAsync(tenant, $"receiver{i}@example.com"));
        }
        try
        {
            // Open every chat first, then fire all messages at once from every sender (half to its receiver, half to echo).
            for (var i = 0; i < pairs; i++)
            {
                await senders[i].CallAsync("StartChat", new { contactId = $"receiver{i}@example.com" });
                var invitation = await receivers[i].EventAsync("InvitationReceived");
                await receivers[i].CallAsync("AcceptChat", new { requestId = invitation.Data!["requestId"]!.GetValue<string>() });
            }

            var sent = await Task.WhenAll(senders.Select(async (sender, i) =>
            {
                var ids = new List<string>();
                for (var m = 0; m < messagesPerSender; m++)
                {
                    var contact = m % 2 == 0 ? $"receiver{i}@example.com" : "echo@example.com";
                    ids.Add(await sender.SendAsync("SendMessage", new { contactId = contact, message = $"{i}:{m}", messageId = $"m{m}" }));
                }
                return ids;
            }));

            for (var i = 0; i < pairs; i++)
            {
                foreach (var id in sent[i])
                    await senders[i].WaitForAsync(f => f.Id == id && f.State == "COMPLETE", $"COMPLETE of {id}");
                for (var m = 0; m < messagesPerSender; m += 2)
                    (await receivers[i].EventAsync("MessageReceived")).Data!["message"]!.GetValue<string>().Should().Be($"{i}:{m}");
                for (var m = 1; m < messagesPerSender; m += 2)
                    (await senders[i].EventAsync("MessageReceived")).Data!["message"]!.GetValue<string>().Should().Be($"{i}:{m}", "echoes come back in order");
            }

            foreach (var (client, ids) in senders.Zip(sent))
            {
                var history = client.History.ToList();
                foreach (var id in ids)
                {
                    var processing = history.FindIndex(f => f.Id == id && f.State == "PROCESSING");
                    var complete = history.FindIndex(f => f.Id == id && f.State == "COMPLETE");
                    processing.Should().BeGreaterThanOrEqualTo(0);
                    complete.Should().BeGreaterThan(processing, "the COMPLETE of {0} must follow its PROCESSING", id);
                    history.Count(f => f.Id == id).Should().Be(2, "exactly one PROCESSING and one COMPLETE for {0}", id);
                }
                history.Where(f => f.Sequence is not null).Select(f => f.Sequence!.Value).Should().BeInAscendingOrder()
                    .And.OnlyHaveUniqueItems();
            }
            foreach (var client in receivers)
                client.History.Where(f => f.Sequence is not null).Select(f => f.Sequence!.Value).Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
        }
        finally
        {
            foreach (var client in senders.Concat(receivers)) await client.DisposeAsync();
        }
    }
}

/// <summary>The contract on one node, the in-memory engine.</summary>
public sealed class OrderingTests(BemsHost host) : OrderingContract(host), IClassFixture<BemsHost>;

/// <summary>The contract on two nodes of the Orleans engine, each client on the other node than the one before.</summary>
public sealed class OrderingClusterTests(ClusterHost host) : OrderingContract(host), IClassFixture<ClusterHost>;
