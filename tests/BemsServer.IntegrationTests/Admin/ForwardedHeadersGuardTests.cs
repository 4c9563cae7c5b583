using System.Net;
using BemsServer.IntegrationTests.Infrastructure;

namespace BemsServer.IntegrationTests.Admin;

/// <summary>A host run with <c>ASPNETCORE_FORWARDEDHEADERS_ENABLED=true</c> and no admin token.</summary>
public sealed class ForwardedHeadersHost() : BemsHost(new() { ["FORWARDEDHEADERS_ENABLED"] = "true" });

/// <summary>The same switch with <c>Bems:Admin:Token</c> configured.</summary>
public sealed class ForwardedHeadersTokenHost() : BemsHost(new() { ["FORWARDEDHEADERS_ENABLED"] = "true", ["Bems:Admin:Token"] = "s3cret" });

/// <summary>
/// Defect 6 of the hardening issue: with forwarded headers honoured, <c>X-Forwarded-For: 127.0.0.1</c> from any host
/// opened every admin route. A rewritten address proves nothing, so the token is required.
/// </summary>
public sealed class ForwardedHeadersGuardTests(ForwardedHeadersHost host) : IClassFixture<ForwardedHeadersHost>
{
    [Fact]
    public async Task NoToken_ClaimingLoopbackInXForwardedFor_IsRefusedWith403AndSaysWhy()
    {
        using var http = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        using var request = new HttpRequestMessage(HttpMethod.Post, "admin/users") { Content = new StringContent("""{"id":"mallory@example.com"}""", System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Forwarded-For", "127.0.0.1");

        using var response = await http.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await response.Content.ReadAsStringAsync()).Should().Contain("Bems:Admin:Token");
    }
}

/// <summary>With a token, the forwarded address changes nothing: the bearer token decides.</summary>
public sealed class ForwardedHeadersTokenGuardTests(ForwardedHeadersTokenHost host) : IClassFixture<ForwardedHeadersTokenHost>
{
    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    [InlineData("Bearer s3cret", HttpStatusCode.OK)]
    public async Task ClaimingLoopback_OnlyTheTokenOpensTheApi(string? authorization, HttpStatusCode expected)
    {
        using var http = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        using var request = new HttpRequestMessage(HttpMethod.Get, "admin/users");
        request.Headers.Add("X-Forwarded-For", "127.0.0.1");
        if (authorization is not null) request.Headers.TryAddWithoutValidation("Authorization", authorization);

        using var response = await http.SendAsync(request);

        response.StatusCode.Should().Be(expected);
    }
}
