using System.Net;
using System.Text;
using BemsServer.Admin;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace BemsServer.Tests.Admin;

/// <summary>
/// The admin guard behind ASP.NET Core's forwarded-headers middleware configured as
/// <c>ASPNETCORE_FORWARDEDHEADERS_ENABLED=true</c> configures it (every proxy trusted): an address a client wrote in
/// <c>X-Forwarded-For</c> must not open the admin API.
/// </summary>
public sealed class AdminGuardForwardedTests
{
    private static readonly byte[] Token = Encoding.UTF8.GetBytes("s3cret");

    /// <summary>Runs the real middleware with the options the environment switch sets, as the host would.</summary>
    private static async Task<DefaultHttpContext> ForwardedAsync(string peer, string forwardedFor, string? authorization = null)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(peer);
        context.Request.Headers["X-Forwarded-For"] = forwardedFor;
        if (authorization is not null) context.Request.Headers.Authorization = authorization;
        var options = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto };
        options.KnownIPNetworks.Clear();
        options.KnownProxies.Clear();
        var middleware = new ForwardedHeadersMiddleware(static _ => Task.CompletedTask, NullLoggerFactory.Instance, Options.Create(options));
        await middleware.Invoke(context).WaitAsync(TimeSpan.FromSeconds(10));
        context.Connection.RemoteIpAddress.Should().Be(IPAddress.Loopback, "the middleware believed the header, as it does in production");
        return context;
    }

    [Fact]
    public async Task NoToken_RemoteHostClaimingLoopback_IsRefusedWith403()
    {
        var context = await ForwardedAsync("192.0.2.10", "127.0.0.1");

        var refusal = AdminGuard.Check(context, token: null);

        refusal.Should().BeAssignableTo<IStatusCodeHttpResult>().Which.StatusCode.Should().Be(403);
    }

    [Fact]
    public async Task NoToken_ForwardedHeadersSwitchOn_RefusesEvenALoopbackPeer()
    {
        var context = await ForwardedAsync("127.0.0.1", "127.0.0.1");

        var refusal = AdminGuard.Check(context, token: null, forwardedHeaders: true);

        refusal.Should().BeAssignableTo<IStatusCodeHttpResult>().Which.StatusCode.Should().Be(403);
    }

    [Fact]
    public void NoToken_ForwardedHeadersSwitchOn_RefusesALoopbackClientWithoutHeaders()
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Loopback;

        AdminGuard.Check(context, token: null, forwardedHeaders: true)
            .Should().BeAssignableTo<IStatusCodeHttpResult>().Which.StatusCode.Should().Be(403);
    }

    [Fact]
    public async Task Token_RemoteHostClaimingLoopback_StillNeedsTheToken()
    {
        var without = await ForwardedAsync("192.0.2.10", "127.0.0.1");
        var with = await ForwardedAsync("192.0.2.10", "127.0.0.1", "Bearer s3cret");

        AdminGuard.Check(without, Token, forwardedHeaders: true).Should().BeAssignableTo<IStatusCodeHttpResult>().Which.StatusCode.Should().Be(401);
        AdminGuard.Check(with, Token, forwardedHeaders: true).Should().BeNull();
    }
}
