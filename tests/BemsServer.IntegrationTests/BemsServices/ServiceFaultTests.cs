using System.Net;
using BemsServer.IntegrationTests.Admin;

namespace BemsServer.IntegrationTests.BemsServices;

/// <summary>The tenant's fault rules on the BEMS services' HTTP calls, matched by route and caller.</summary>
public sealed class ServiceFaultTests(BemsHost host) : IClassFixture<BemsHost>
{
    private const string Lookup = """{"Account":"{0}","SearchKey":"Carol","UserShape":["FullName"]}""";

    [Fact]
    public async Task ErrorRule_OnARouteAndUser_AnswersItsStatusForThatUserOnly()
    {
        host.NewTenant(out var name);
        using var http = new ServiceHttp(host, name);
        using var admin = AdminApi.For(host, name);
        await admin.AddFaultAsync(new { method = "POST /api/lookupuser", user = "alice@example.com", action = "error", errorCode = 503, errorMessage = "Directory down" });

        var alices = await http.PostAsync("/api/lookupuser", Lookup.Replace("{0}", "alice@example.com", StringComparison.Ordinal), ServiceHttp.Json("alice@example.com"));
        var bobs = await http.PostAsync("/api/lookupuser", Lookup.Replace("{0}", "bob@example.com", StringComparison.Ordinal), ServiceHttp.Json("bob@example.com"));

        alices.Status.Should().Be(HttpStatusCode.ServiceUnavailable);
        alices.Body.Should().Contain("Directory down (fault rule on POST /api/lookupuser).");
        bobs.Status.Should().Be(HttpStatusCode.OK);
        var rule = (await admin.GetAsync("faults")).AsArray().Should().ContainSingle().Subject!;
        rule["calls"]!.GetValue<long>().Should().Be(1);
        rule["firedAt"]!.AsArray().Select(n => n!.GetValue<long>()).Should().Equal(1);
    }

    [Fact]
    public async Task DelayRule_RunsTheCallButHoldsItsAnswerUntilTheServerClockAdvances()
    {
        var uri = host.NewTenant(out var name);
        using var http = new ServiceHttp(host, name);
        using var admin = AdminApi.For(host, name);
        await using var alice = await host.ConnectAsync(uri);
        await alice.CallAsync("BeginSession", new { gdAuthToken = "alice@example.com", gnpToken = "gnp-held" });
        await using var channel = await http.FollowAsync("gnp-held");
        await admin.AddFaultAsync(new { method = "POST /GNP1.0", action = "delayComplete", delay = "00:00:30" });

        var notify = http.PostAsync("/GNP1.0?method=notify", "held", [("X-Good-GNP-Token", "gnp-held")], "text/plain");
        (await channel.ReadAsync(ServiceHttp.Bound)).Should().Be("held", "the notify ran");
        notify.IsCompleted.Should().BeFalse("its answer is held");
        host.Clock.Advance(TimeSpan.FromSeconds(30));

        (await notify).Header("X-Good-GNP-Code").Should().Be("100 OK");
    }

    [Fact]
    public async Task CloseRule_AbortsTheConnectionWithoutAnAnswer()
    {
        host.NewTenant(out var name);
        using var http = new ServiceHttp(host, name);
        using var admin = AdminApi.For(host, name);
        await admin.AddFaultAsync(new { method = "GET /presence/subscriptions/{notify}", action = "close", times = 1 });

        var aborted = () => http.GetAsync("/presence/subscriptions/n1", ServiceHttp.Json("alice@example.com"));

        await aborted.Should().ThrowAsync<HttpRequestException>();
        (await http.GetAsync("/presence/subscriptions/n1", ServiceHttp.Json("alice@example.com"))).Status.Should().Be(HttpStatusCode.NotFound, "the rule fired once");
    }
}
