using System.Net;
using System.Text.Json.Nodes;
using BemsServer.IntegrationTests.Admin;
using BemsServer.IntegrationTests.Hardening;

namespace BemsServer.IntegrationTests.BemsServices;

/// <summary>The rules every service shares with Connect in open mode: tenants, bad input, the OpenAPI document.</summary>
public sealed class ServiceRulesTests(BemsHost host) : IClassFixture<BemsHost>
{
    private const string Lookup = """{"Account":"alice@example.com","SearchKey":"Bob","MaxNumber":0,"SearchContacts":false,"UserShape":["FullName","EmailAddress"]}""";

    [Fact]
    public async Task Tenants_AreApart_AServiceRequestSeesOnlyItsTenantsState()
    {
        host.NewTenant(out var one);
        host.NewTenant(out var two);
        using var first = new ServiceHttp(host, one);
        using var second = new ServiceHttp(host, two);
        await using var newcomer = await host.SignInAsync(host.TenantUri(one), "bobby.newcomer@example.com");

        var inOne = await first.PostAsync("/api/lookupuser", Lookup, ServiceHttp.Json("alice@example.com"));
        var inTwo = await second.PostAsync("/api/lookupuser", Lookup, ServiceHttp.Json("alice@example.com"));

        inOne.Body.Should().Be("""[{"FullName":"Bob Brown","EmailAddress":"bob@example.com"},{"FullName":"bobby.newcomer","EmailAddress":"bobby.newcomer@example.com"}]""");
        inTwo.Body.Should().Be("""[{"FullName":"Bob Brown","EmailAddress":"bob@example.com"}]""");
    }

    [Fact]
    public async Task ServiceRequest_OnAnInvalidTenantName_IsRefusedAsAWebSocketWouldBe()
    {
        using var http = new ServiceHttp(host, "admin");

        var answer = await http.PostAsync("/api/lookupuser", Lookup, ServiceHttp.Json("alice@example.com"));

        answer.Status.Should().Be(HttpStatusCode.NotFound);
        answer.Body.Should().Contain("reserved tenant name");
    }

    [Fact]
    public async Task IosUnescapedQuote_Is400NamingTheJsonError_AndNothingElseIsDisturbed()
    {
        var uri = host.NewTenant(out var name);
        using var http = new ServiceHttp(host, name);
        await using var alice = await host.SignInAsync(uri, "alice@example.com");
        // The iOS sample formats the body with %@ and no escaping: a search key with a quote breaks the JSON.
        var body = """{"Account":"alice@example.com","SearchKey":"O"Brien","MaxNumber":10,"SearchContacts":true,"UserShape":["FullName","EmailAddress"]}""";

        var answer = await http.PostAsync("/api/lookupuser", body, ServiceHttp.Json("alice@example.com"));

        answer.Status.Should().Be(HttpStatusCode.BadRequest);
        answer.ContentType.Should().StartWith("application/problem+json");
        var problem = JsonNode.Parse(answer.Body)!;
        problem["status"]!.GetValue<int>().Should().Be(400);
        problem["detail"]!.GetValue<string>().Should().StartWith("The body is not valid JSON: ").And.Contain("BytePositionInLine: 46");
        host.Logs.Snapshot().Should().Contain(l => l.Message.Contains("refused with 400", StringComparison.Ordinal) && l.Message.Contains(name, StringComparison.Ordinal));
        await alice.CallAsync("Ping");
        (await http.PostAsync("/api/lookupuser", Lookup, ServiceHttp.Json("alice@example.com"))).Status.Should().Be(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("text/plain; charset=ISO-8859-1")]
    [InlineData("application/x-www-form-urlencoded")]
    public async Task JsonBodies_AreReadWhateverTheContentTypeSays(string contentType)
    {
        host.NewTenant(out var name);
        using var http = new ServiceHttp(host, name);

        var answer = await http.PostAsync("/api/lookupuser", Lookup, ServiceHttp.Json("alice@example.com"), contentType);

        answer.Status.Should().Be(HttpStatusCode.OK, "apps send JSON with whatever Content-Type their HTTP library sets");
        answer.Body.Should().Be("""[{"FullName":"Bob Brown","EmailAddress":"bob@example.com"}]""");
    }

    [Theory]
    [InlineData("""{"Account":"alice@example.com","SearchKey":5}""", "'SearchKey' must be a string, not a number.")]
    [InlineData("""{"Account":"alice@example.com"}""", "The body lacks 'SearchKey' (a string).")]
    [InlineData("""{"Account":"alice@example.com","SearchKey":"Bob","SearchContacts":"yes"}""", "'SearchContacts' must be a boolean, not a string.")]
    [InlineData("""{"Account":"alice@example.com","SearchKey":"Bob","UserShape":"FullName"}""", "'UserShape' must be an array of strings, not a string.")]
    [InlineData("""{"Account":"alice@example.com","SearchKey":"Bob","MaxNumber":1.5}""", "'MaxNumber' must be an integer, not a number.")]
    [InlineData("""{"Account":"alice@example.com","SearchKey":"  "}""", "'SearchKey' must not be empty.")]
    [InlineData("""{"Account":"not an address","SearchKey":"Bob"}""", "'Account' ('not an address') is not an address")]
    [InlineData("", "The body is not valid JSON")]
    public async Task Lookup_BadMembers_Are400NamingTheMember(string body, string detail)
    {
        host.NewTenant(out var name);
        using var http = new ServiceHttp(host, name);

        var answer = await http.PostAsync("/api/lookupuser", body, ServiceHttp.Json("alice@example.com"));

        answer.Status.Should().Be(HttpStatusCode.BadRequest);
        answer.Body.Should().Contain(detail);
    }

    [Fact]
    public async Task OpenApiDocument_ListsEveryServiceRoute_AtTheRootAndUnderATenant()
    {
        using var admin = AdminApi.For(host);

        var paths = (await admin.GetAsync("openapi/v1.json"))["paths"]!.AsObject().Select(p => p.Key).ToList();

        foreach (var route in new[] { "/api/lookupuser", "/presence/subscriptions", "/presence/subscriptions/{notify}", "/api/contact",
                     "/api/contact/create", "/api/contact/update", "/GNP1.0", "/verifyGDAuthToken", "/gnp/channel" })
            paths.Should().Contain([route, "/t/{tenant}" + route]);
        paths.Should().Contain("/admin/pushes/tokens");
    }
}

/// <summary>The services in strict auth mode: only configured tokens, each acting only as its own user.</summary>
public sealed class StrictServiceTests(StrictHost host) : IClassFixture<StrictHost>
{
    private static string Lookup(string account) =>
        $$"""{"Account":"{{account}}","SearchKey":"Carol","MaxNumber":0,"SearchContacts":false,"UserShape":["FullName","EmailAddress"]}""";

    [Fact]
    public async Task StrictMode_ConfiguredToken_ActsAsItsUser()
    {
        using var http = new ServiceHttp(host, tenant: null);

        var answer = await http.PostAsync("/api/lookupuser", Lookup("alice@example.com"), ServiceHttp.Json("tok-alice"));

        answer.Status.Should().Be(HttpStatusCode.OK);
        answer.Body.Should().Be("""[{"FullName":"Carol Clark","EmailAddress":"carol@example.com"}]""");
    }

    [Fact]
    public async Task StrictMode_UnknownToken_Is401_EvenOneNamingAUser()
    {
        using var http = new ServiceHttp(host, tenant: null);

        var lookup = await http.PostAsync("/api/lookupuser", Lookup("alice@example.com"), ServiceHttp.Json("alice@example.com"));
        var presence = await http.GetAsync("/presence/subscriptions/n1", ServiceHttp.Json("tok-nobody"));
        var verify = await http.GetAsync("/verifyGDAuthToken", [("X-Good-GD-AuthToken", "alice@example.com")]);
        var verified = await http.GetAsync("/verifyGDAuthToken", [("X-Good-GD-AuthToken", "tok-bob")]);

        lookup.Status.Should().Be(HttpStatusCode.Unauthorized);
        lookup.Body.Should().Contain("The token is not valid.");
        presence.Status.Should().Be(HttpStatusCode.Unauthorized);
        verify.Status.Should().Be(HttpStatusCode.Unauthorized);
        verified.Header("X-Good-GD-AuthResponseCode").Should().Be("100 OK");
        verified.Header("X-Good-GD-UserId").Should().Be("bob@example.com");
    }

    [Fact]
    public async Task StrictMode_AccountNamingAnotherUser_Is403_ForLookupAndContacts()
    {
        using var http = new ServiceHttp(host, tenant: null);

        var lookup = await http.PostAsync("/api/lookupuser", Lookup("bob@example.com"), ServiceHttp.Json("tok-alice"));
        var contacts = await http.PostAsync("/api/contact", """{"Account":"bob@example.com","MaxNumber":10,"Offset":0}""", ServiceHttp.Json("tok-alice"));

        lookup.Status.Should().Be(HttpStatusCode.Forbidden);
        contacts.Status.Should().Be(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task StrictMode_AnUnconfiguredTenant_IsRefused403()
    {
        using var http = new ServiceHttp(host, "not-configured-" + Guid.NewGuid().ToString("N")[..8]);

        var answer = await http.PostAsync("/api/lookupuser", Lookup("alice@example.com"), ServiceHttp.Json("tok-alice"));

        answer.Status.Should().Be(HttpStatusCode.Forbidden);
        answer.Body.Should().Contain("strict auth mode");
    }
}
