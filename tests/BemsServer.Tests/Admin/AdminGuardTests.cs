using System.Net;
using System.Text;
using BemsServer.Admin;
using Microsoft.AspNetCore.Http;

namespace BemsServer.Tests.Admin;

/// <summary>The admin guard: loopback only without a token, bearer token everywhere with one.</summary>
public sealed class AdminGuardTests
{
    private static DefaultHttpContext From(string address, string? authorization = null)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(address);
        if (authorization is not null) context.Request.Headers.Authorization = authorization;
        return context;
    }

    private static readonly byte[] Token = Encoding.UTF8.GetBytes("s3cret");

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    public void NoToken_LoopbackClient_IsServed(string address) => AdminGuard.Check(From(address), token: null).Should().BeNull();

    [Fact]
    public void NoToken_NonLoopbackClient_IsRefusedWith403()
    {
        var refusal = AdminGuard.Check(From("192.0.2.10"), token: null);

        refusal.Should().BeAssignableTo<IStatusCodeHttpResult>().Which.StatusCode.Should().Be(403);
    }

    [Theory]
    [InlineData("192.0.2.10", null)]
    [InlineData("127.0.0.1", null)]
    [InlineData("192.0.2.10", "Bearer wrong")]
    [InlineData("192.0.2.10", "s3cret")]
    public void Token_MissingOrWrong_IsRefusedWith401(string address, string? authorization)
    {
        var refusal = AdminGuard.Check(From(address, authorization), Token);

        refusal.Should().BeAssignableTo<IStatusCodeHttpResult>().Which.StatusCode.Should().Be(401);
    }

    [Fact]
    public void Token_PresentedAsBearer_IsServedFromAnyAddress() =>
        AdminGuard.Check(From("192.0.2.10", "Bearer s3cret"), Token).Should().BeNull();
}
