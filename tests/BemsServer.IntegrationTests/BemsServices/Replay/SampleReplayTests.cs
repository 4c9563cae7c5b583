using System.Net;
using System.Text;
using BemsServer.IntegrationTests.Im;

namespace BemsServer.IntegrationTests.BemsServices.Replay;

/// <summary>
/// Sample replay conformance: exactly the requests BlackBerry's public samples build (method, path, headers, body bytes;
/// facts from the samples, see docs/services.md), each answer accepted only by the rules of that sample's own parser
/// (<see cref="SampleParsers"/>). Directory: Im/im-seed.json. The token is what a GD auth token stands for in open mode.
/// </summary>
public sealed class SampleReplayTests(ImHost host) : IClassFixture<ImHost>
{
    private const string Token = "me@example.com";

    // Android samples: JSONObject bodies (members in insertion order), sent with these three headers.
    private static readonly (string, string)[] AndroidJson =
        [("X-Good-GD-AuthToken", Token), ("Content-Type", "application/json"), ("Accept", "application/json")];

    // The presence sample adds its version, the push token and an app-generated device id.
    private static (string, string)[] PresenceHeaders(string gnp = "gnp-me") =>
    [
        ("X-Good-GD-AuthToken", Token), ("Content-Type", "application/json"), ("Accept", "application/json"),
        ("X-Good-Presence-Version", "1.0.0"), ("X-Good-GNP-Token", gnp), ("X-Good-DeviceId", "2f1c6a4e-9d0b-4f3e-8a59-0c7d1e2b3a4f"),
    ];

    private ServiceHttp NewTenant(out string name)
    {
        host.NewTenant(out name);
        return new ServiceHttp(host, name);
    }

    /// <summary>Sends the bytes as they are; the sample's own Content-Type header rides in the content.</summary>
    private static async Task<ServiceAnswer> SendAsync(ServiceHttp http, HttpMethod method, string route, byte[]? body, (string Name, string Value)[] headers)
    {
        var contentType = headers.FirstOrDefault(h => h.Name == "Content-Type").Value ?? "application/json";
        return await http.SendAsync(method, route, body, contentType, headers.Where(h => h.Name != "Content-Type"));
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    // ---- Directory Lookup ----

    [Fact]
    public async Task AndroidLookup_ByName_ParsesWithFullNameAndEmailAddressStrings()
    {
        using var http = NewTenant(out _);
        var body = """{"Account":"me@example.com","SearchKey":"Sam","MaxNumber":10,"SearchContacts":false,"UserShape":["FullName","EmailAddress"]}""";

        var answer = await SendAsync(http, HttpMethod.Post, "/api/lookupuser", Utf8(body), AndroidJson);

        answer.Status.Should().Be(HttpStatusCode.OK);
        SampleParsers.AndroidLookup(answer.Body).Should().Equal(("Sam Two", "user2@example.com"));
    }

    [Fact]
    public async Task AndroidLookup_ManyUsersWithAndWithoutCardFields_ParseAsAWhole()
    {
        using var http = NewTenant(out _);
        var body = """{"Account":"me@example.com","SearchKey":"user","MaxNumber":0,"SearchContacts":true,"UserShape":["FullName","EmailAddress"]}""";

        var answer = await SendAsync(http, HttpMethod.Post, "/api/lookupuser", Utf8(body), AndroidJson);

        SampleParsers.AndroidLookup(answer.Body).Should().Equal(("Sam Two", "user2@example.com"), ("Sasha Three", "user3@example.com"),
            ("user1", "user1@example.com"), ("user33", "user33@example.com"), ("user_1", "user_1@example.com"));
    }

    [Fact]
    public async Task AndroidLookup_NoMatch_ParsesAsAnEmptyList()
    {
        using var http = NewTenant(out _);
        var body = """{"Account":"me@example.com","SearchKey":"zzz","MaxNumber":10,"SearchContacts":true,"UserShape":["FullName","EmailAddress"]}""";

        var answer = await SendAsync(http, HttpMethod.Post, "/api/lookupuser", Utf8(body), AndroidJson);

        SampleParsers.AndroidLookup(answer.Body).Should().BeEmpty();
    }

    [Fact]
    public async Task AndroidLookup_WithSearchContacts_APersonalContactParsesToo()
    {
        using var http = NewTenant(out _);
        await SendAsync(http, HttpMethod.Post, "/api/contact/create",
            Utf8("""{"FirstName":"Fred","LastName":"Smith","EmailAddress1":"fred@fredsemail.com"}"""), AndroidJson);
        var body = """{"Account":"me@example.com","SearchKey":"Smith","MaxNumber":10,"SearchContacts":true,"UserShape":["FullName","EmailAddress"]}""";

        var answer = await SendAsync(http, HttpMethod.Post, "/api/lookupuser", Utf8(body), AndroidJson);

        SampleParsers.AndroidLookup(answer.Body).Should().Equal(("Fred Smith", "fred@fredsemail.com"));
    }

    [Fact]
    public async Task IosLookup_StringFormattedBody_ParsesWithOnlyTheKnownShapeNames()
    {
        using var http = NewTenant(out _);
        // DirectoryServicesVC.m: "{\"Account\":\"%@\",\"SearchKey\":\"%@\"," + its fixed search parameters, spaces as they are.
        var body = """{"Account":"me@example.com","SearchKey":"Sasha","MaxNumber":10,"SearchContacts":true,"UserShape":["GivenName", "Surname", "Photo","Birthday", "Title","FullName","EmailAddress"]}""";

        var answer = await SendAsync(http, HttpMethod.Post, "/api/lookupuser", Utf8(body),
            [("X-Good-GD-AuthToken", Token), ("Accept", "application/json"), ("Content-Type", "application/json")]);

        var user = SampleParsers.IosLookup(answer.Body).Should().ContainSingle().Subject;
        user.Select(p => p.Key).Should().Equal("GivenName", "Surname", "Photo", "FullName", "EmailAddress");
        user["FullName"]!.GetValue<string>().Should().Be("Sasha Three");
    }

    [Fact]
    public async Task IosLookup_SearchKeyWithAQuote_IsANon200ProblemTheAppShowsAsAnError()
    {
        using var http = NewTenant(out _);
        var body = """{"Account":"me@example.com","SearchKey":"Sam "Two"","MaxNumber":10,"SearchContacts":true,"UserShape":["GivenName", "Surname", "Photo","Birthday", "Title","FullName","EmailAddress"]}""";

        var answer = await SendAsync(http, HttpMethod.Post, "/api/lookupuser", Utf8(body),
            [("X-Good-GD-AuthToken", Token), ("Accept", "application/json"), ("Content-Type", "application/json")]);

        answer.Status.Should().Be(HttpStatusCode.BadRequest);
        answer.ContentType.Should().StartWith("application/problem+json");
        var parsed = () => SampleParsers.IosLookup(answer.Body);
        parsed.Should().Throw<System.Text.Json.JsonException>("a problem object is no result list");
    }

    // ---- Presence ----

    [Fact]
    public async Task PresenceSubscribe_AsTheSampleSendsIt_AnswersWhatTheRichParserReads()
    {
        using var http = NewTenant(out _);
        var body = """{"contacts":["user2@example.com","sip:echo@example.com"],"notify":"8b7c6d5e-4f3a-4b2c-9d1e-0f9e8d7c6b5a"}""";

        var answer = await SendAsync(http, HttpMethod.Post, "/presence/subscriptions", Utf8(body), PresenceHeaders());

        answer.Status.Should().Be(HttpStatusCode.OK);
        SampleParsers.RichPresence(answer.Body).Contacts.Should().Equal(("user2@example.com", 18000), ("sip:echo@example.com", 15500));
    }

    [Fact]
    public async Task PresencePoll_WholeSet_SequenceIsAStringAndAvailabilityAnInt()
    {
        using var http = NewTenant(out _);
        await SendAsync(http, HttpMethod.Post, "/presence/subscriptions", Utf8("""{"contacts":["user2@example.com"],"notify":"n-whole"}"""), PresenceHeaders());

        var answer = await SendAsync(http, HttpMethod.Get, "/presence/subscriptions/n-whole", null, PresenceHeaders());

        var (sequence, contacts) = SampleParsers.RichPresence(answer.Body);
        sequence.Should().NotBeEmpty();
        contacts.Should().Equal(("user2@example.com", 18000));
    }

    [Fact]
    public async Task PresencePoll_AfterAPush_OnlyTheChangedContactParses()
    {
        using var http = NewTenant(out var name);
        var first = await SendAsync(http, HttpMethod.Post, "/presence/subscriptions",
            Utf8("""{"contacts":["user2@example.com","user1@example.com"],"notify":"n-delta"}"""), PresenceHeaders("gnp-delta"));
        var (sequence, _) = SampleParsers.RichPresence(first.Body);
        await using var channel = await http.FollowAsync("gnp-delta");
        await using var user2 = await host.SignInAsync(host.TenantUri(name), "user2@example.com");
        await channel.ReadAsync(ServiceHttp.Bound);

        var answer = await SendAsync(http, HttpMethod.Get, $"/presence/subscriptions/n-delta?sequence={sequence}", null, PresenceHeaders("gnp-delta"));

        SampleParsers.RichPresence(answer.Body).Contacts.Should().Equal(("user2@example.com", 3500));
    }

    [Fact]
    public async Task PresencePoll_AnUnknownContact_ReadsAsTheSamplesUnknownCode()
    {
        using var http = NewTenant(out _);

        var answer = await SendAsync(http, HttpMethod.Post, "/presence/subscriptions",
            Utf8("""{"contacts":["nobody@elsewhere.example"],"notify":"n-unknown"}"""), PresenceHeaders());

        SampleParsers.RichPresence(answer.Body).Contacts.Should().Equal(("nobody@elsewhere.example", -1));
    }

    [Fact]
    public async Task PresenceUnsubscribe_WithAnEmptyContactList_Is200()
    {
        using var http = NewTenant(out _);
        await SendAsync(http, HttpMethod.Post, "/presence/subscriptions", Utf8("""{"contacts":["user2@example.com"],"notify":"n-end"}"""), PresenceHeaders());

        var answer = await SendAsync(http, HttpMethod.Post, "/presence/subscriptions", Utf8("""{"contacts":[],"notify":"n-end"}"""), PresenceHeaders());

        answer.Status.Should().Be(HttpStatusCode.OK);
        SampleParsers.RichPresence(answer.Body).Contacts.Should().BeEmpty();
    }

    // ---- Contact Service ----

    [Fact]
    public async Task ContactCreate_TheSamplesFredSmith_Is200WithABodyToShow()
    {
        using var http = NewTenant(out _);

        var answer = await SendAsync(http, HttpMethod.Post, "/api/contact/create",
            Utf8("""{"FirstName":"Fred","LastName":"Smith","EmailAddress1":"fred@fredsemail.com"}"""), AndroidJson);

        answer.Status.Should().Be(HttpStatusCode.OK);
        answer.Body.Should().NotBeNullOrEmpty("the sample shows the raw answer");
    }

    [Fact]
    public async Task ContactSearch_AsTheSampleSendsIt_SizeNeverExceedsContacts()
    {
        using var http = NewTenant(out _);
        foreach (var first in new[] { "Fred", "Gina", "Hal" })
            await SendAsync(http, HttpMethod.Post, "/api/contact/create", Utf8($$"""{"FirstName":"{{first}}","LastName":"Smith","EmailAddress1":"{{first.ToLowerInvariant()}}@fredsemail.com"}"""), AndroidJson);

        var answer = await SendAsync(http, HttpMethod.Post, "/api/contact",
            Utf8("""{"Account":"me@example.com","MaxNumber":50,"Offset":0,"UserShape":["DisplayName","EmailAddress"]}"""), AndroidJson);

        var (size, total, contacts) = SampleParsers.ContactSearch(answer.Body);
        (size, total).Should().Be((3, 3));
        contacts.Should().Equal(("Fred Smith", "fred@fredsemail.com"), ("Gina Smith", "gina@fredsemail.com"), ("Hal Smith", "hal@fredsemail.com"));
    }

    [Fact]
    public async Task ContactSearch_WithNoContacts_ParsesAsShowing0Of0()
    {
        using var http = NewTenant(out _);

        var answer = await SendAsync(http, HttpMethod.Post, "/api/contact",
            Utf8("""{"Account":"me@example.com","MaxNumber":50,"Offset":0,"UserShape":["DisplayName","EmailAddress"]}"""), AndroidJson);

        var (size, total, contacts) = SampleParsers.ContactSearch(answer.Body);
        (size, total).Should().Be((0, 0));
        contacts.Should().BeEmpty();
    }

    // ---- GNP (Push sample) ----

    [Fact]
    public async Task PushLoopback_StringEntityInLatin1_IsDeliveredOnTheChannelAnd100Ok()
    {
        var uri = host.NewTenant(out var name);
        using var http = new ServiceHttp(host, name);
        await using var me = await host.ConnectAsync(uri);
        await me.CallAsync("BeginSession", new { gdAuthToken = "me@example.com", gnpToken = "gnp-loopback" });
        await using var channel = await http.FollowAsync("gnp-loopback");

        // LoopbackMessage: HttpPost to /GNP1.0?method=notify with X-Good-GNP-Token and a StringEntity (ISO-8859-1 text).
        var answer = await http.SendAsync(HttpMethod.Post, "/GNP1.0?method=notify", Encoding.Latin1.GetBytes("Café at 10"),
            "text/plain; charset=ISO-8859-1", [("X-Good-GNP-Token", "gnp-loopback")]);

        answer.Status.Should().Be(HttpStatusCode.OK);
        answer.Header("X-Good-GNP-Code").Should().Be("100 OK");
        (await channel.ReadAsync(ServiceHttp.Bound)).Should().Be("Café at 10");
    }

    [Fact]
    public async Task PushLoopback_ToATokenNobodyPresented_Answers402InvalidToken()
    {
        using var http = NewTenant(out _);

        var answer = await http.SendAsync(HttpMethod.Post, "/GNP1.0?method=notify", Encoding.Latin1.GetBytes("hello"),
            "text/plain; charset=ISO-8859-1", [("X-Good-GNP-Token", "made-up")]);

        answer.Header("X-Good-GNP-Code").Should().Be("402 Invalid Token");
    }

    [Fact]
    public async Task CheckToken_AfterAPresenceRequestPresentedIt_Is100Ok()
    {
        using var http = NewTenant(out _);
        await SendAsync(http, HttpMethod.Post, "/presence/subscriptions", Utf8("""{"contacts":["user2@example.com"],"notify":"n-token"}"""), PresenceHeaders("gnp-presented"));

        var answer = await http.GetAsync("/GNP1.0?method=checkToken", [("X-Good-GNP-Token", "gnp-presented")]);

        answer.Header("X-Good-GNP-Code").Should().Be("100 OK");
    }

    [Fact]
    public async Task VerifyGDAuthToken_AnAppServersCheck_Answers100WithTheUser()
    {
        using var http = NewTenant(out _);

        var answer = await http.GetAsync("/verifyGDAuthToken", [("X-Good-GD-AuthToken", Token)]);

        answer.Header("X-Good-GD-AuthResponseCode").Should().StartWith("100");
        answer.Header("X-Good-GD-UserId").Should().Be("me@example.com");
    }
}
