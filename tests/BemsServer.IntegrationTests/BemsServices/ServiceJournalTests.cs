using System.Text.Json.Nodes;
using BemsServer.IntegrationTests.Admin;

namespace BemsServer.IntegrationTests.BemsServices;

/// <summary>The services' HTTP calls in the tenant's journal beside the Connect frames (connection <c>http</c>).</summary>
public sealed class ServiceJournalTests(BemsHost host) : IClassFixture<BemsHost>
{
    private static string Text(JsonNode? node) => node!.GetValue<string>();

    [Fact]
    public async Task ServiceCall_IsJournaledAsARequestAndTheResponseThatAnswersIt()
    {
        host.NewTenant(out var name);
        using var http = new ServiceHttp(host, name);
        using var admin = AdminApi.For(host, name);

        await http.PostAsync("/api/lookupuser", """{"Account":"alice@example.com","SearchKey":"Bob","UserShape":["FullName"]}""",
            ServiceHttp.Json("alice@example.com", ("X-Good-DeviceId", "d-1")));
        await admin.GetAsync("journal/wait?connection=http&direction=out&timeout=10");

        var entries = (await admin.GetAsync("journal?connection=http"))["entries"]!.AsArray();
        entries.Select(e => $"{Text(e!["direction"])} {Text(e!["kind"])} {Text(e!["method"])} {Text(e!["user"])}").Should().Equal(
            "in request POST /api/lookupuser alice@example.com", "out response POST /api/lookupuser alice@example.com");
        var id = Text(entries[0]!["id"]);
        Text(entries[1]!["answers"]).Should().Be(id);
        entries[0]!["frame"]!.ToJsonString().Should().Be(
            $$$"""{"id":"{{{id}}}","http":"POST /t/{{{name}}}/api/lookupuser","headers":{"X-Good-DeviceId":"d-1","X-Good-GD-AuthToken":"alice@example.com"},"body":{"Account":"alice@example.com","SearchKey":"Bob","UserShape":["FullName"]}}""");
        entries[1]!["frame"]!.ToJsonString().Should().Be($$$"""{"id":"{{{id}}}","status":200,"headers":{},"body":[{"FullName":"Bob Brown"}]}""");
    }

    [Fact]
    public async Task OversizedBody_IsRefused413_AndJournaledAsItsFirst64KiBAsText()
    {
        host.NewTenant(out var name);
        using var http = new ServiceHttp(host, name);
        using var admin = AdminApi.For(host, name);
        var huge = """{"FirstName":"Fred","Notes":" """ + new string('x', 70 * 1024) + "\"}";

        var answer = await http.SendAsync(HttpMethod.Post, "/api/contact/create", System.Text.Encoding.UTF8.GetBytes(huge), "application/json",
            ServiceHttp.Json("alice@example.com"), chunked: true);
        await admin.GetAsync("journal/wait?connection=http&kind=error&timeout=10");

        answer.Status.Should().Be(System.Net.HttpStatusCode.RequestEntityTooLarge);
        var entries = (await admin.GetAsync("journal?connection=http"))["entries"]!.AsArray();
        Text(entries[0]!["frame"]!["body"]).Should().Be(huge[..65536], "the journal keeps a body's first 64 KiB (no longer JSON, so as text)");
        entries[1]!["frame"]!["body"]!["detail"]!.GetValue<string>().Should().Be("The body is larger than 65536 bytes.");
    }

    [Fact]
    public async Task RefusedCall_IsJournaledWithItsBodyAsTextAndAnErrorEntry()
    {
        host.NewTenant(out var name);
        using var http = new ServiceHttp(host, name);
        using var admin = AdminApi.For(host, name);

        await http.PostAsync("/GNP1.0?method=notify", "hello", [("X-Good-GNP-Token", "unknown-token")], "text/plain");
        await http.PostAsync("/api/lookupuser", """{"Account":"alice@example.com","SearchKey":"O"Brien"}""", ServiceHttp.Json("alice@example.com"));
        await admin.GetAsync("journal/wait?connection=http&kind=error&timeout=10");

        var entries = (await admin.GetAsync("journal?connection=http"))["entries"]!.AsArray();
        entries.Select(e => $"{Text(e!["direction"])} {Text(e!["kind"])} {Text(e!["method"])}").Should().Equal(
            "in request POST /GNP1.0", "out response POST /GNP1.0", "in request POST /api/lookupuser", "out error POST /api/lookupuser");
        entries[0]!["frame"]!["body"]!.GetValue<string>().Should().Be("hello");
        entries[1]!["frame"]!["headers"]!.ToJsonString().Should().Be("""{"X-Good-GNP-Code":"402 Invalid Token"}""");
        entries[2]!["frame"]!["body"]!.GetValue<string>().Should().Be("""{"Account":"alice@example.com","SearchKey":"O"Brien"}""");
        entries[3]!["frame"]!["status"]!.GetValue<int>().Should().Be(400);
        entries[3]!["frame"]!["body"]!["detail"]!.GetValue<string>().Should().StartWith("The body is not valid JSON");
    }
}
