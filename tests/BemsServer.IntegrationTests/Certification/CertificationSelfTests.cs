using BemsServer.Protocol.Admin;

namespace BemsServer.IntegrationTests.Certification;

/// <summary>
/// The certification's self-test: the reference agent on BemsServer.Client passes every automatic case, and two
/// deliberately broken agents fail exactly the cases named for their fault and pass the rest. The server runs on the
/// virtual clock, which the run advances itself (the held COMPLETE, the session timeout).
/// </summary>
public sealed class CertificationSelfTests(BemsHost host) : IClassFixture<BemsHost>
{
    private static readonly string[] Automatic =
    [
        "accepts-invitation", "message-ack", "acks-every-message", "duplicate-event", "survives-unknown-event", "survives-large-frame",
        "no-resend-on-late-complete", "handles-message-update", "survives-request-error", "token-refresh", "keeps-alive",
        "recovers-after-drop", "well-formed-requests", "unique-request-ids", "waits-for-session", "sends-message-ids",
        "acks-own-messages", "documented-parameters",
    ];

    [Fact]
    public async Task ReferenceAgent_PassesEveryAutomaticCase_EachVerdictNamingItsRuleAndFrames()
    {
        var (run, admin, _) = await CertificationRuns.CertifyAsync(host, AgentFault.None);
        using var _ = admin;

        run.Status.Should().Be(CertificationStatus.Passed, run.Describe());
        run.Verdicts.Select(static v => v.Case).Should().Equal(Automatic);
        run.Passed.Should().Be(Automatic.Length);
        run.Pending.Should().BeEmpty();
        run.Verdicts.Should().OnlyContain(static v => v.Rule.Length > 0 && v.Window.Length > 0 && v.Message.Length > 0);
        run.Verdicts.Take(12).Should().OnlyContain(static v => v.Frames.Count > 0, "every case that makes the server act names the frames that show the client's answer");
        var ack = run.Verdicts.Single(static v => v.Case == "message-ack");
        var acks = (await admin.GetAsync("journal?method=MessageAck&direction=in"))["entries"]!.AsArray().Select(static e => e!["seq"]!.GetValue<long>());
        ack.Frames.Should().Contain(acks.First(), "the verdict names the MessageAck it saw, by its journal number");
    }

    [Fact]
    public async Task AgentThatNeverAcknowledges_FailsTheAcknowledgementCasesOnly()
    {
        var (run, admin, _) = await CertificationRuns.CertifyAsync(host, AgentFault.NeverAcknowledges);
        using var _ = admin;

        run.Status.Should().Be(CertificationStatus.Failed);
        run.FailedCases().Should().Equal(["message-ack", "acks-every-message", "duplicate-event"], run.Describe());
        var ack = run.Verdicts.Single(static v => v.Case == "message-ack");
        ack.Message.Should().StartWith("No MessageAck of messageId ");
        ack.Rule.Should().Contain("§4.15 MessageAck");
        ack.Frames.Should().ContainSingle("the MessageReceived that was never acknowledged");
    }

    [Fact]
    public async Task AgentThatNeverComesBack_FailsRecoversAfterDropOnly()
    {
        var (run, admin, _) = await CertificationRuns.CertifyAsync(host, AgentFault.NeverComesBack);
        using var _ = admin;

        run.Status.Should().Be(CertificationStatus.Failed);
        run.FailedCases().Should().Equal(["recovers-after-drop"], run.Describe());
        run.Verdicts.Single(static v => v.Case == "recovers-after-drop").Message.Should().StartWith("No new socket with a session within 10 s of the drop");
    }
}
