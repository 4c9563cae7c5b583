using System.Net;
using BemsServer.IntegrationTests.Im;

namespace BemsServer.IntegrationTests.BemsServices;

/// <summary>
/// Directory Lookup (<c>POST /api/lookupuser</c>) on the directory Connect uses (Im/im-seed.json): matching, shapes,
/// MaxNumber, SearchContacts over the Connect contact list and personal contacts, and who may ask.
/// </summary>
public sealed class LookupTests(ImHost host) : IClassFixture<ImHost>
{
    private ServiceHttp NewTenant(out string name)
    {
        host.NewTenant(out name);
        return new ServiceHttp(host, name);
    }

    private static string Body(string searchKey, string shape = """["FullName","EmailAddress"]""", int maxNumber = 0, bool contacts = false,
        string account = "me@example.com") =>
        $$"""{"Account":"{{account}}","SearchKey":"{{searchKey}}","MaxNumber":{{maxNumber}},"SearchContacts":{{(contacts ? "true" : "false")}},"UserShape":{{shape}}}""";

    [Fact]
    public async Task Lookup_ByLastName_AnswersABareArrayOfTheRequestedShape()
    {
        using var http = NewTenant(out _);

        var answer = await http.PostAsync("/api/lookupuser", Body("Two"), ServiceHttp.Json("me@example.com"));

        answer.Status.Should().Be(HttpStatusCode.OK, answer.Body);
        answer.ContentType.Should().StartWith("application/json");
        answer.Body.Should().Be("""[{"FullName":"Sam Two","EmailAddress":"user2@example.com"}]""");
    }

    [Theory]
    [InlineData("sam", "user2@example.com")]           // a word of the display name
    [InlineData("Sam Tw", "user2@example.com")]        // the full name
    [InlineData("user2", "user2@example.com")]         // the alias
    [InlineData("USER2@EXAMPLE", "user2@example.com")] // the address, any case
    [InlineData("555 0202", "user2@example.com")]      // a phone number's digits
    [InlineData("5550102", "user2@example.com")]
    public async Task Lookup_MatchesEachDocumentedField(string key, string email)
    {
        using var http = NewTenant(out _);

        var answer = await http.PostAsync("/api/lookupuser", Body(key, """["EmailAddress"]"""), ServiceHttp.Json("me@example.com"));

        answer.Body.Should().Be($$"""[{"EmailAddress":"{{email}}"}]""");
    }

    [Fact]
    public async Task Lookup_ShapeNames_OnlyKnownOnesInTheOrderAskedAndValuesTheUserHas()
    {
        using var http = NewTenant(out _);

        var answer = await http.PostAsync("/api/lookupuser",
            Body("user2", """["WeddingAnniversary","Title","GivenName","Surname","Alias","MobilePhone","WorkPhone","DisplayName","FullName","EmailAddress","Title"]"""),
            ServiceHttp.Json("me@example.com"));

        answer.Body.Should().Be("""[{"Title":"Engineer","GivenName":"Sam","Surname":"Two","Alias":"user2","MobilePhone":"+1 555 0102","WorkPhone":"+1 555 0202","DisplayName":"Sam Two","FullName":"Sam Two","EmailAddress":"user2@example.com"}]""");
    }

    [Fact]
    public async Task Lookup_Photo_IsTheBase64OfTheUsersPhotoFile()
    {
        using var http = NewTenant(out _);

        var answer = await http.PostAsync("/api/lookupuser", Body("Sasha", """["Photo","FullName"]"""), ServiceHttp.Json("me@example.com"));

        var photo = Convert.ToBase64String(await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "Im", "user3.svg")));
        answer.Body.Should().Be($$"""[{"Photo":"{{photo}}","FullName":"Sasha Three"}]""");
    }

    [Fact]
    public async Task Lookup_MaxNumber_CutsTheListByDisplayNameAndZeroMeansAll()
    {
        using var http = NewTenant(out _);

        var two = await http.PostAsync("/api/lookupuser", Body("user", """["EmailAddress"]""", maxNumber: 2), ServiceHttp.Json("me@example.com"));
        var all = await http.PostAsync("/api/lookupuser", Body("user", """["EmailAddress"]""", maxNumber: 0), ServiceHttp.Json("me@example.com"));
        var negative = await http.PostAsync("/api/lookupuser", Body("user", """["EmailAddress"]""", maxNumber: -1), ServiceHttp.Json("me@example.com"));

        two.Body.Should().Be("""[{"EmailAddress":"user2@example.com"},{"EmailAddress":"user3@example.com"}]""", "Sam Two and Sasha Three come first");
        all.Body.Should().Be("""[{"EmailAddress":"user2@example.com"},{"EmailAddress":"user3@example.com"},{"EmailAddress":"user1@example.com"},{"EmailAddress":"user33@example.com"},{"EmailAddress":"user_1@example.com"}]""");
        negative.Body.Should().Be(all.Body);
    }

    [Fact]
    public async Task Lookup_NoMatch_AnswersAnEmptyArray()
    {
        using var http = NewTenant(out _);

        var answer = await http.PostAsync("/api/lookupuser", Body("nobody-here"), ServiceHttp.Json("me@example.com"));

        answer.Status.Should().Be(HttpStatusCode.OK);
        answer.Body.Should().Be("[]");
    }

    [Fact]
    public async Task Lookup_SearchContacts_AddsTheCallersPersonalContacts()
    {
        using var http = NewTenant(out _);
        (await http.PostAsync("/api/contact/create", """{"FirstName":"Zed","LastName":"Outsider","EmailAddress1":"zed.outsider@partner.example"}""",
            ServiceHttp.Json("me@example.com"))).Status.Should().Be(HttpStatusCode.OK);
        (await http.PostAsync("/api/contact/create", """{"FirstName":"Zoe","LastName":"Zebra","EmailAddress1":"zoe@zoo.example"}""",
            ServiceHttp.Json("me@example.com"))).Status.Should().Be(HttpStatusCode.OK);

        var without = await http.PostAsync("/api/lookupuser", Body("z"), ServiceHttp.Json("me@example.com"));
        var with = await http.PostAsync("/api/lookupuser", Body("z", contacts: true), ServiceHttp.Json("me@example.com"));

        without.Body.Should().Be("[]");
        with.Body.Should().Be("""[{"FullName":"Zed Outsider","EmailAddress":"zed.outsider@partner.example"},{"FullName":"Zoe Zebra","EmailAddress":"zoe@zoo.example"}]""");
        (await http.PostAsync("/api/lookupuser", Body("z", contacts: true, account: "user2@example.com"), ServiceHttp.Json("user2@example.com")))
            .Body.Should().Be("[]", "personal contacts are their owner's only");
    }

    [Fact]
    public async Task Lookup_AUserWhoJoinedByConnectSignIn_IsFound()
    {
        using var http = NewTenant(out var name);
        await using var newcomer = await host.SignInAsync(host.TenantUri(name), "newcomer@example.com");

        var answer = await http.PostAsync("/api/lookupuser", Body("newcomer"), ServiceHttp.Json("me@example.com"));

        answer.Body.Should().Be("""[{"FullName":"newcomer","EmailAddress":"newcomer@example.com"}]""");
    }

    [Fact]
    public async Task Lookup_AccountNamingAnotherUser_IsRefused403()
    {
        using var http = NewTenant(out _);

        var answer = await http.PostAsync("/api/lookupuser", Body("Two", account: "user1@example.com"), ServiceHttp.Json("me@example.com"));

        answer.Status.Should().Be(HttpStatusCode.Forbidden);
        answer.ContentType.Should().StartWith("application/problem+json");
        answer.Body.Should().Contain("'Account' names user1@example.com");
    }

    [Fact]
    public async Task Lookup_WithoutAuthToken_IsRefused401()
    {
        using var http = NewTenant(out _);

        var answer = await http.PostAsync("/api/lookupuser", Body("Two"), [("Accept", "application/json")]);

        answer.Status.Should().Be(HttpStatusCode.Unauthorized);
        answer.Body.Should().Contain("X-Good-GD-AuthToken");
    }
}
