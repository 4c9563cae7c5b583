using System.Net;
using System.Xml.Linq;
using BemsServer.IntegrationTests.Admin;
using BemsServer.Protocol.Admin;

namespace BemsServer.IntegrationTests.Certification;

/// <summary>The certification's admin routes: the catalogue, a run's JSON and its JUnit report parsed back, refusals.</summary>
public sealed class CertifyRouteTests(BemsHost host) : IClassFixture<BemsHost>
{
    [Fact]
    public async Task Cases_ListsAtLeastTwentyCases_WithTheStableNamesOfTheIssue_EachWithRuleWindowAndJudgement()
    {
        using var admin = AdminApi.For(host);

        var cases = (await admin.GetAsync("certify/cases")).AsArray();

        cases.Count.Should().BeGreaterThanOrEqualTo(20);
        cases.Select(static c => c!["name"]!.GetValue<string>()).Should().Contain(
        [
            "well-formed-requests", "unique-request-ids", "waits-for-session", "message-ack", "no-resend-on-late-complete",
            "handles-message-update", "survives-unknown-event", "survives-large-frame", "duplicate-event", "recovers-after-drop",
            "keeps-alive", "token-refresh", "send-to-echo", "decline-as-message-update", "invitation-accept", "background-push-resume",
        ]);
        cases.Where(static c => c!["interactive"]!.GetValue<bool>()).Select(static c => c!["name"]!.GetValue<string>())
            .Should().BeEquivalentTo("send-to-echo", "decline-as-message-update", "invitation-accept", "background-push-resume");
        cases.Should().OnlyContain(static c => c!["rule"]!.GetValue<string>().Length > 0 && c["window"]!.GetValue<string>().Length > 0
            && c["judged"]!.GetValue<string>().Length > 0);
    }

    [Fact]
    public async Task Run_OfTwoCases_ReportsProgressAsJson_AndAsJUnitXml_OneTestcasePerCase_TheFailureNamingRuleAndFrames()
    {
        var (run, admin, _) = await CertificationRuns.CertifyAsync(host, AgentFault.NeverAcknowledges, ["well-formed-requests", "message-ack"]);
        using var _ = admin;

        run.Status.Should().Be(CertificationStatus.Failed);
        run.Verdicts.Select(static v => (v.Case, v.Passed)).Should().Equal(("message-ack", false), ("well-formed-requests", true));
        run.Pending.Should().BeEmpty();
        run.Current.Should().BeNull();
        run.Finished.Should().NotBeNull();
        var failed = run.Verdicts[0];

        using var response = await admin.Http.GetAsync($"{admin.Prefix}certify/{run.Id}/junit.xml");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/xml");
        var junit = XDocument.Parse(await response.Content.ReadAsStringAsync());

        var suite = junit.Root!.Element("testsuite")!;
        junit.Root.Name.LocalName.Should().Be("testsuites");
        suite.Attribute("tests")!.Value.Should().Be("2");
        suite.Attribute("failures")!.Value.Should().Be("1");
        suite.Elements("testcase").Select(static t => t.Attribute("name")!.Value).Should().Equal("message-ack", "well-formed-requests");
        var failure = suite.Elements("testcase").First().Element("failure")!;
        failure.Attribute("message")!.Value.Should().Be($"[{failed.Rule}] {failed.Message} (frames: #{failed.Frames.Single()})");
        failure.Attribute("message")!.Value.Should().Contain("§4.15 MessageAck");
        suite.Elements("testcase").Last().Element("failure").Should().BeNull();
        (await admin.GetAsync("certify")).AsArray().Select(static r => r!["id"]!.GetValue<string>()).Should().Equal(run.Id);
    }

    [Fact]
    public async Task Run_WhoseClientNeverComes_EndsNoClient_EveryCaseSkippedInJUnit()
    {
        host.NewTenant(out var tenant);
        using var admin = AdminApi.For(host, tenant);

        var started = CertificationRuns.Read(await admin.PostAsync("certify", new { user = "alice@example.com", cases = new[] { "message-ack" }, wait = "00:00:00.200" },
            HttpStatusCode.Accepted));

        started.Status.Should().Be(CertificationStatus.Waiting);
        started.Pending.Should().Equal("message-ack");
        var run = await CertificationRuns.AwaitAsync(host, tenant, started.Id);
        run.Status.Should().Be(CertificationStatus.NoClient);
        run.Verdicts.Should().BeEmpty();
        var junit = XDocument.Parse(await admin.Http.GetStringAsync($"{admin.Prefix}certify/{run.Id}/junit.xml"));
        junit.Descendants("testcase").Single().Element("skipped")!.Attribute("message")!.Value.Should().Be("the client never signed in");
    }

    [Fact]
    public async Task Start_RefusesAnUnknownCase_ABadUser_AndASecondRunForTheSameUser()
    {
        host.NewTenant(out var tenant);
        using var admin = AdminApi.For(host, tenant);

        using (var unknown = await admin.SendAsync(HttpMethod.Post, "certify", new { user = "alice@example.com", cases = new[] { "no-such-case" } }))
        {
            unknown.StatusCode.Should().Be(HttpStatusCode.BadRequest);
            (await unknown.Content.ReadAsStringAsync()).Should().Contain("Unknown case(s) no-such-case");
        }
        using (var bad = await admin.SendAsync(HttpMethod.Post, "certify", new { user = "not an address" }))
            bad.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var first = CertificationRuns.Read(await admin.PostAsync("certify", new { user = "alice@example.com", wait = "00:00:02" }, HttpStatusCode.Accepted));
        using (var second = await admin.SendAsync(HttpMethod.Post, "certify", new { user = "sip:Alice@example.com" }))
        {
            second.StatusCode.Should().Be(HttpStatusCode.Conflict);
            (await second.Content.ReadAsStringAsync()).Should().Contain("A certification run for alice@example.com is already going on.");
        }
        using (var missing = await admin.Http.GetAsync($"{admin.Prefix}certify/cert-0"))
            missing.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await CertificationRuns.AwaitAsync(host, tenant, first.Id)).Status.Should().Be(CertificationStatus.NoClient);
    }
}
