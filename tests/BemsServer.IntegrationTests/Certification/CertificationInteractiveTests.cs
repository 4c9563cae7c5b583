using System.Net;
using System.Net.WebSockets;
using System.Threading.Channels;
using BemsServer.Client;
using BemsServer.IntegrationTests.Admin;
using BemsServer.Protocol.Admin;
using BemsServer.Protocol.Data;

namespace BemsServer.IntegrationTests.Certification;

/// <summary>The interactive cases, with the test as the person at the client: it acts when the run's prompt says so.</summary>
public sealed class CertificationInteractiveTests(BemsHost host) : IClassFixture<BemsHost>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    /// <summary>Starts a run of one case on a fresh tenant; its prompts are followed from before the client signs in.</summary>
    private async Task<(Uri Uri, string Tenant, string Id, ChannelReader<string> Prompts)> StartAsync(string @case)
    {
        var uri = host.NewTenant(out var tenant);
        using var admin = AdminApi.For(host, tenant);
        var id = (await admin.PostAsync("certify", new { user = "alice@example.com", cases = new[] { @case } }, HttpStatusCode.Accepted))["id"]!.GetValue<string>();
        var prompts = Channel.CreateUnbounded<string>();
        CertificationRuns.Find(host, tenant, id).Prompted += text =>
        {
            if (text is not null) prompts.Writer.TryWrite(text);
        };
        return (uri, tenant, id, prompts.Reader);
    }

    private async Task<CaseVerdict> VerdictAsync(string tenant, string id)
    {
        var run = await CertificationRuns.AwaitAsync(host, tenant, id);
        run.Status.Should().Be(CertificationStatus.Passed, run.Describe());
        return run.Verdicts.Single();
    }

    [Fact]
    public async Task InvitationAccept_PersonAcceptsWhenPrompted_Passes()
    {
        var (uri, tenant, id, prompts) = await StartAsync("invitation-accept");
        await using var alice = await host.ClientAsync(uri, "alice@example.com");

        var invitation = await alice.WaitForEventAsync<InvitationReceivedData>();
        (await prompts.ReadAsync().AsTask().WaitAsync(Bound)).Should()
            .Be("Accept the chat invitation from Certification peer (sip:certify-peer@example.com) in the app.");
        await alice.AcceptChatAsync(invitation.RequestId);

        (await VerdictAsync(tenant, id)).Frames.Should().HaveCount(3, "the invitation, the AcceptChat and its answer");
    }

    [Fact]
    public async Task SendToEcho_PersonSendsAndAcknowledgesTheEcho_Passes()
    {
        var (uri, tenant, id, prompts) = await StartAsync("send-to-echo");
        await using var alice = await host.ClientAsync(uri, "alice@example.com");

        (await prompts.ReadAsync().AsTask().WaitAsync(Bound)).Should().Be("Send any message to sip:certify-echo@example.com from the app.");
        (await alice.SendMessageAsync("certify-echo@example.com", "hello echo")).Kind.Should().Be(SendOutcomeKind.Delivered);
        var echoed = await alice.WaitForEventAsync<MessageReceivedData>(static m => m.Message == "hello echo");
        await alice.MessageAckAsync(echoed.MessageId);

        (await VerdictAsync(tenant, id)).Message.Should().StartWith("MessageAck #");
    }

    [Fact]
    public async Task DeclineAsMessageUpdate_PersonSendsToTheDecliner_NoResend_Passes()
    {
        var (uri, tenant, id, prompts) = await StartAsync("decline-as-message-update");
        await using var alice = await host.ClientAsync(uri, "alice@example.com");

        (await prompts.ReadAsync().AsTask().WaitAsync(Bound)).Should().Be("Send any message to sip:certify-decliner@example.com from the app: it will be declined.");
        (await alice.SendMessageAsync("certify-decliner@example.com", "hello?")).Kind.Should().Be(SendOutcomeKind.Declined);

        (await VerdictAsync(tenant, id)).Message.Should().EndWith("and was not sent again.");
    }

    [Fact]
    public async Task BackgroundPushResume_AppGoesToBackground_IsDropped_ResumesAndAcknowledgesWhatWaited_Passes()
    {
        var (uri, tenant, id, prompts) = await StartAsync("background-push-resume");
        var before = await host.ClientAsync(uri, "alice@example.com");

        (await prompts.ReadAsync().AsTask().WaitAsync(Bound)).Should().Be("Put the app in the background (it sends NotifyBackground with isBackgroundMode true).");
        await before.NotifyBackgroundAsync(true);
        (await before.WaitForCloseAsync(Bound)).Should().Be((WebSocketCloseStatus)1012);
        var device = before.DeviceToken;
        await before.DisposeAsync();
        (await prompts.ReadAsync().AsTask().WaitAsync(Bound)).Should().Be("Bring the app back to the foreground: it resumes its session with reconnect.");
        await using var after = await BemsClient.ConnectAsync(uri, new BemsClientOptions { DeviceToken = device });
        await after.ResumeAsync("alice@example.com");
        await after.AcceptChatAsync((await after.WaitForEventAsync<InvitationReceivedData>()).RequestId);
        var waited = await after.WaitForEventAsync<MessageReceivedData>();
        waited.Message.Should().Be("certify: this message waits for the resume");
        await after.MessageAckAsync(waited.MessageId);

        (await VerdictAsync(tenant, id)).Message.Should().StartWith("MessageAck #");
    }
}
