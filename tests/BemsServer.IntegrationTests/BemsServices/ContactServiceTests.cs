using System.Net;
using System.Text;

namespace BemsServer.IntegrationTests.BemsServices;

/// <summary>A host whose users may hold 2 personal contacts each.</summary>
public sealed class SmallContactBookHost() : BemsHost(new() { ["Bems:ContactService:MaxContactsPerUser"] = "2" });

/// <summary>The Contact Service (<c>/api/contact</c>, <c>create</c>, <c>update</c>) on each user's personal contacts.</summary>
public sealed class ContactServiceTests(BemsHost host) : IClassFixture<BemsHost>
{
    private ServiceHttp NewTenant()
    {
        host.NewTenant(out var name);
        return new ServiceHttp(host, name);
    }

    private static readonly (string, string)[] Alice = ServiceHttp.Json("alice@example.com");

    private static string Search(int maxNumber, int offset, string shape = """["DisplayName","EmailAddress"]""") =>
        $$"""{"Account":"alice@example.com","MaxNumber":{{maxNumber}},"Offset":{{offset}},"UserShape":{{shape}}}""";

    [Fact]
    public async Task Create_AnswersTheStoredContactWithItsIdAndDisplayName()
    {
        using var http = NewTenant();

        var answer = await http.PostAsync("/api/contact/create", """{"FirstName":"Fred","LastName":"Smith","EmailAddress1":"fred@example.com"}""", Alice);

        answer.Status.Should().Be(HttpStatusCode.OK, answer.Body);
        answer.Body.Should().Be("""{"Id":"1","FirstName":"Fred","LastName":"Smith","DisplayName":"Fred Smith","EmailAddress1":"fred@example.com"}""");
    }

    [Fact]
    public async Task Search_PagesByDisplayName_SizeIsThePagesLengthAndTotalCountAll()
    {
        using var http = NewTenant();
        foreach (var (first, last) in new[] { ("Cleo", "Three"), ("Abe", "One"), ("Bea", "Two") })
            await http.PostAsync("/api/contact/create", $$"""{"FirstName":"{{first}}","LastName":"{{last}}","EmailAddress1":"{{first.ToLowerInvariant()}}@example.com"}""", Alice);

        var first2 = await http.PostAsync("/api/contact", Search(2, 0), Alice);
        var rest = await http.PostAsync("/api/contact", Search(2, 2), Alice);
        var beyond = await http.PostAsync("/api/contact", Search(50, 5), Alice);
        var all = await http.PostAsync("/api/contact", Search(0, 0, """["Id","FirstName","Birthday"]"""), Alice);

        first2.Body.Should().Be("""{"LookupInfo":{"Size":2,"TotalCount":3},"Contacts":[{"DisplayName":"Abe One","EmailAddress":"abe@example.com"},{"DisplayName":"Bea Two","EmailAddress":"bea@example.com"}]}""");
        rest.Body.Should().Be("""{"LookupInfo":{"Size":1,"TotalCount":3},"Contacts":[{"DisplayName":"Cleo Three","EmailAddress":"cleo@example.com"}]}""");
        beyond.Body.Should().Be("""{"LookupInfo":{"Size":0,"TotalCount":3},"Contacts":[]}""");
        all.Body.Should().Be("""{"LookupInfo":{"Size":3,"TotalCount":3},"Contacts":[{"Id":"2","FirstName":"Abe"},{"Id":"3","FirstName":"Bea"},{"Id":"1","FirstName":"Cleo"}]}""");
    }

    [Fact]
    public async Task Update_ChangesOnlyTheMembersGiven_AndAnUnknownIdIs404()
    {
        using var http = NewTenant();
        await http.PostAsync("/api/contact/create", """{"FirstName":"Fred","LastName":"Smith","EmailAddress1":"fred@example.com"}""", Alice);

        var updated = await http.PostAsync("/api/contact/update", """{"Id":"1","LastName":"Jones","MobilePhone":"+1 555 0199"}""", Alice);
        var unknown = await http.PostAsync("/api/contact/update", """{"Id":"9","LastName":"Jones"}""", Alice);

        updated.Body.Should().Be("""{"Id":"1","FirstName":"Fred","LastName":"Jones","DisplayName":"Fred Jones","EmailAddress1":"fred@example.com","MobilePhone":"+1 555 0199"}""");
        unknown.Status.Should().Be(HttpStatusCode.NotFound);
        unknown.Body.Should().Contain("no personal contact with Id '9'");
    }

    [Fact]
    public async Task Contacts_ArePerUser()
    {
        using var http = NewTenant();
        await http.PostAsync("/api/contact/create", """{"FirstName":"Fred"}""", Alice);

        var bobs = await http.PostAsync("/api/contact", """{"Account":"bob@example.com","MaxNumber":50,"Offset":0,"UserShape":["DisplayName"]}""",
            ServiceHttp.Json("bob@example.com"));
        var bobUpdates = await http.PostAsync("/api/contact/update", """{"Id":"1","LastName":"Jones"}""", ServiceHttp.Json("bob@example.com"));

        bobs.Body.Should().Be("""{"LookupInfo":{"Size":0,"TotalCount":0},"Contacts":[]}""");
        bobUpdates.Status.Should().Be(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("/api/contact/create", """{"CompanyName":"Acme"}""", "A contact needs a FirstName, LastName, DisplayName or EmailAddress1.")]
    [InlineData("/api/contact/create", """{"FirstName":7}""", "'FirstName' must be a string, not a number.")]
    [InlineData("/api/contact/update", """{"LastName":"Jones"}""", "The body lacks 'Id' (a string).")]
    [InlineData("/api/contact", """{"MaxNumber":50,"Offset":0}""", "The body lacks 'Account' (a string).")]
    [InlineData("/api/contact", """{"Account":"alice@example.com","MaxNumber":"50"}""", "'MaxNumber' must be an integer, not a string.")]
    [InlineData("/api/contact", """{"Account":"alice@example.com","Offset":-1}""", "'Offset' must not be negative.")]
    public async Task BadBodies_Are400NamingWhatIsWrong(string route, string body, string detail)
    {
        using var http = NewTenant();

        var answer = await http.PostAsync(route, body, Alice);

        answer.Status.Should().Be(HttpStatusCode.BadRequest);
        answer.ContentType.Should().StartWith("application/problem+json");
        answer.Body.Should().Contain(detail);
    }

    [Fact]
    public async Task OversizedBody_Is413_AndTheServiceGoesOn()
    {
        using var http = NewTenant();
        var huge = """{"FirstName":"Fred","Notes":" """ + new string('x', 70 * 1024) + "\"}";

        var answer = await http.SendAsync(HttpMethod.Post, "/api/contact/create", Encoding.UTF8.GetBytes(huge), "application/json", Alice);
        var next = await http.PostAsync("/api/contact/create", """{"FirstName":"Fred"}""", Alice);

        answer.Status.Should().Be(HttpStatusCode.RequestEntityTooLarge);
        answer.Body.Should().Contain("larger than 65536 bytes");
        next.Status.Should().Be(HttpStatusCode.OK);
    }
}

/// <summary>The per-user bound on personal contacts.</summary>
public sealed class ContactBookLimitTests(SmallContactBookHost host) : IClassFixture<SmallContactBookHost>
{
    [Fact]
    public async Task Create_BeyondTheLimit_IsRefused409()
    {
        host.NewTenant(out var name);
        using var http = new ServiceHttp(host, name);
        var alice = ServiceHttp.Json("alice@example.com");
        await http.PostAsync("/api/contact/create", """{"FirstName":"One"}""", alice);
        await http.PostAsync("/api/contact/create", """{"FirstName":"Two"}""", alice);

        var third = await http.PostAsync("/api/contact/create", """{"FirstName":"Three"}""", alice);

        third.Status.Should().Be(HttpStatusCode.Conflict);
        third.Body.Should().Contain("already has 2 personal contacts (Bems:ContactService:MaxContactsPerUser)");
    }
}
