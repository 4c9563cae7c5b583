using System.Net;
using BemsServer.IntegrationTests.Admin;

namespace BemsServer.IntegrationTests.BemsServices;

/// <summary>
/// The REST presence service (<c>/presence/subscriptions</c>) on the presence Connect's methods change: the whole set,
/// changes since a sequence, pushes to the subscriber's GNP token, unsubscribe, expiry on the virtual clock, and limits.
/// </summary>
public sealed class PresenceServiceTests(BemsHost host) : IClassFixture<BemsHost>
{
    private ServiceHttp NewTenant(out string name)
    {
        host.NewTenant(out name);
        return new ServiceHttp(host, name);
    }

    private static (string, string)[] Alice(string? gnp = null) =>
        gnp is null
            ? ServiceHttp.Json("alice@example.com", ("X-Good-DeviceId", "device-a"))
            : ServiceHttp.Json("alice@example.com", ("X-Good-DeviceId", "device-a"), ("X-Good-GNP-Token", gnp));

    private static string Subscribe(string notify, params string[] contacts) =>
        $$"""{"contacts":[{{string.Join(",", contacts.Select(c => $"\"{c}\""))}}],"notify":"{{notify}}"}""";

    [Fact]
    public async Task Subscribe_AnswersTheWholeSet_WithLyncCodesAndMinusOneForUnknownContacts()
    {
        using var http = NewTenant(out _);

        var answer = await http.PostAsync("/presence/subscriptions",
            Subscribe("n1", "bob@example.com", "sip:echo@example.com", "ghost@nowhere.example", "not an address"), Alice());

        answer.Status.Should().Be(HttpStatusCode.OK, answer.Body);
        answer.Body.Should().Be("""{"sequence":"1","contacts":[{"id":"bob@example.com","availability":18000},{"id":"sip:echo@example.com","availability":3500},{"id":"ghost@nowhere.example","availability":-1},{"id":"not an address","availability":-1}]}""");
        (await http.GetAsync("/presence/subscriptions/n1", Alice())).Body.Should().Be(answer.Body, "a poll without a sequence answers the whole set");
    }

    [Fact]
    public async Task ConnectPresenceChange_ShowsInThePollSinceTheSequence_AndIsPushedToTheSubscribersToken()
    {
        using var http = NewTenant(out var name);
        await http.PostAsync("/presence/subscriptions", Subscribe("n1", "bob@example.com", "carol@example.com"), Alice("gnp-alice"));
        await using var channel = await http.FollowAsync("gnp-alice");

        await using var bob = await host.SignInAsync(host.TenantUri(name), "bob@example.com");

        (await channel.ReadAsync(ServiceHttp.Bound)).Should().Be("""{"service":"presence","notify":"n1","sequence":"2"}""");
        (await http.GetAsync("/presence/subscriptions/n1?sequence=1", Alice())).Body
            .Should().Be("""{"sequence":"2","contacts":[{"id":"bob@example.com","availability":3500}]}""", "only bob changed since 1");

        await bob.CallAsync("SetPresence", new { presence = "busy" });

        (await channel.ReadAsync(ServiceHttp.Bound)).Should().Be("""{"service":"presence","notify":"n1","sequence":"3"}""");
        (await http.GetAsync("/presence/subscriptions/n1?sequence=2", Alice())).Body
            .Should().Be("""{"sequence":"3","contacts":[{"id":"bob@example.com","availability":6000}]}""");
        (await http.GetAsync("/presence/subscriptions/n1?sequence=3", Alice())).Body
            .Should().Be("""{"sequence":"3","contacts":[]}""", "nothing changed since 3");
    }

    [Fact]
    public async Task Poll_WithANewGnpToken_AttachesIt_SoTheNextChangeIsPushedThereAndNotToTheOldOne()
    {
        using var http = NewTenant(out var name);
        using var admin = AdminApi.For(host, name);
        await http.PostAsync("/presence/subscriptions", Subscribe("n1", "bob@example.com"), Alice("gnp-old"));
        await using var old = await http.FollowAsync("gnp-old");
        await using var renewed = await http.FollowAsync("gnp-new");

        (await http.GetAsync("/presence/subscriptions/n1", Alice("gnp-new"))).Status.Should().Be(HttpStatusCode.OK);
        await using var bob = await host.SignInAsync(host.TenantUri(name), "bob@example.com");

        (await renewed.ReadAsync(ServiceHttp.Bound)).Should().Be("""{"service":"presence","notify":"n1","sequence":"2"}""");
        await http.PostAsync("/GNP1.0?method=notify", "after the change", [("X-Good-GNP-Token", "gnp-old")], "text/plain");
        (await old.ReadAsync(ServiceHttp.Bound)).Should().Be("after the change", "the old token's first push is the one sent after the change");
        var pushes = (await admin.GetAsync("pushes")).AsArray();
        foreach (var push in pushes) push!.AsObject().Remove("time");
        pushes.ToJsonString().Should().Be(
            """[{"userId":"sip:alice@example.com","deviceToken":"device-a","gnpToken":"gnp-new","event":"PresenceChanged","pushType":"","text":"{\u0022service\u0022:\u0022presence\u0022,\u0022notify\u0022:\u0022n1\u0022,\u0022sequence\u0022:\u00222\u0022}","badge":0,"source":"presence"},"""
            + """{"userId":"sip:alice@example.com","gnpToken":"gnp-old","event":"Notify","pushType":"","text":"after the change","badge":0,"source":"notify"}]""");
    }

    [Fact]
    public async Task ConnectStates_MapOntoTheLyncCodesOfTheSameName()
    {
        using var http = NewTenant(out var name);
        await http.PostAsync("/presence/subscriptions", Subscribe("n1", "bob@example.com"), Alice());
        var bob = await host.SignInAsync(host.TenantUri(name), "bob@example.com");
        var codes = new List<string>();

        foreach (var presence in new[] { "busy", "donotdisturb", "berightback", "away", "available" })
        {
            await bob.CallAsync("SetPresence", new { presence });
            codes.Add((await http.GetAsync("/presence/subscriptions/n1", Alice())).Body);
        }
        await bob.CallAsync("TerminateSession");
        await bob.DisposeAsync();
        codes.Add((await http.GetAsync("/presence/subscriptions/n1", Alice())).Body);

        codes.Select(c => c[(c.IndexOf("availability", StringComparison.Ordinal) + 14)..c.IndexOf('}', StringComparison.Ordinal)])
            .Should().Equal("6000", "9000", "12000", "15500", "3500", "18000");
    }

    [Fact]
    public async Task Replace_NewContactsCountAsChanged_AndAnEmptyListUnsubscribes()
    {
        using var http = NewTenant(out _);
        await http.PostAsync("/presence/subscriptions", Subscribe("n1", "bob@example.com"), Alice());

        var replaced = await http.PostAsync("/presence/subscriptions", Subscribe("n1", "bob@example.com", "carol@example.com"), Alice());
        var since = await http.GetAsync("/presence/subscriptions/n1?sequence=1", Alice());
        var ended = await http.PostAsync("/presence/subscriptions", """{"contacts":[],"notify":"n1"}""", Alice());
        var gone = await http.GetAsync("/presence/subscriptions/n1", Alice());

        replaced.Body.Should().Be("""{"sequence":"2","contacts":[{"id":"bob@example.com","availability":18000},{"id":"carol@example.com","availability":18000}]}""");
        since.Body.Should().Be("""{"sequence":"2","contacts":[{"id":"carol@example.com","availability":18000}]}""");
        ended.Status.Should().Be(HttpStatusCode.OK);
        ended.Body.Should().Be("""{"sequence":"0","contacts":[]}""");
        gone.Status.Should().Be(HttpStatusCode.NotFound);
        gone.ContentType.Should().StartWith("application/problem+json");
    }

    [Fact]
    public async Task Subscription_IsPerUser_AnotherUserCannotPollIt()
    {
        using var http = NewTenant(out _);
        await http.PostAsync("/presence/subscriptions", Subscribe("shared-key", "bob@example.com"), Alice());

        var other = await http.GetAsync("/presence/subscriptions/shared-key", ServiceHttp.Json("carol@example.com"));

        other.Status.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Subscription_NotPolledWithinTheTimeout_Expires_WhilePollingKeepsItAlive()
    {
        using var http = NewTenant(out _);
        await http.PostAsync("/presence/subscriptions", Subscribe("kept", "bob@example.com"), Alice());
        await http.PostAsync("/presence/subscriptions", Subscribe("left", "bob@example.com"), Alice());

        host.Clock.Advance(TimeSpan.FromSeconds(150));
        (await http.GetAsync("/presence/subscriptions/kept", Alice())).Status.Should().Be(HttpStatusCode.OK);
        host.Clock.Advance(TimeSpan.FromSeconds(150));
        var kept = await http.GetAsync("/presence/subscriptions/kept", Alice());
        var left = await http.GetAsync("/presence/subscriptions/left", Alice());

        kept.Status.Should().Be(HttpStatusCode.OK, "polled every 2.5 minutes, as the sample does");
        left.Status.Should().Be(HttpStatusCode.NotFound, "not polled for 5 minutes, past the 3-minute timeout");
        left.Body.Should().Contain("expired");
    }

    [Fact]
    public async Task Subscriptions_BeyondTheLimitPerUser_AreRefused409_AndTooManyContacts400()
    {
        using var http = NewTenant(out _);
        for (var i = 0; i < 16; i++)
            (await http.PostAsync("/presence/subscriptions", Subscribe($"n{i}", "bob@example.com"), Alice())).Status.Should().Be(HttpStatusCode.OK);

        var seventeenth = await http.PostAsync("/presence/subscriptions", Subscribe("n16", "bob@example.com"), Alice());
        var renewed = await http.PostAsync("/presence/subscriptions", Subscribe("n3", "carol@example.com"), Alice());
        var tooMany = await http.PostAsync("/presence/subscriptions",
            Subscribe("n3", [.. Enumerable.Range(0, 501).Select(i => $"u{i}@example.com")]), Alice());

        seventeenth.Status.Should().Be(HttpStatusCode.Conflict);
        seventeenth.Body.Should().Contain("MaxSubscriptionsPerUser");
        renewed.Status.Should().Be(HttpStatusCode.OK, "replacing one the user holds is no new subscription");
        tooMany.Status.Should().Be(HttpStatusCode.BadRequest);
        tooMany.Body.Should().Contain("'contacts' holds 501 items; at most 500");
    }

    [Theory]
    [InlineData("""{"contacts":"bob@example.com","notify":"n1"}""", "'contacts' must be an array of strings, not a string.")]
    [InlineData("""{"contacts":[42],"notify":"n1"}""", "'contacts[0]' must be a string, not a number.")]
    [InlineData("""{"contacts":["bob@example.com"]}""", "The body lacks 'notify' (a string).")]
    [InlineData("""{"notify":"n1"}""", "The body lacks 'contacts' (an array of strings).")]
    [InlineData("""["bob@example.com"]""", "The body must be a JSON object, not an array.")]
    public async Task Subscribe_BadBody_Is400NamingWhatIsWrong(string body, string detail)
    {
        using var http = NewTenant(out _);

        var answer = await http.PostAsync("/presence/subscriptions", body, Alice());

        answer.Status.Should().Be(HttpStatusCode.BadRequest);
        answer.ContentType.Should().StartWith("application/problem+json");
        answer.Body.Should().Contain(detail);
    }
}
