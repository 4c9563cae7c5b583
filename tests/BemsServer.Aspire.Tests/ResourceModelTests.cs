using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;

namespace BemsServer.Aspire.Tests;

/// <summary>What AddBemsServer declares, read from the application model without starting anything.</summary>
public sealed class ResourceModelTests
{
    [Fact]
    public void AddBemsServer_DeclaresTheToolEndpointsHealthCheckConnectionStringAndCommands()
    {
        using var builder = DistributedApplicationTestingBuilder.Create();

        var bems = builder.AddBemsServer("bems", port: 18080).Resource;

        bems.Command.Should().Be("bems-server");
        var endpoints = bems.Annotations.OfType<EndpointAnnotation>().ToList();
        endpoints.Select(e => (e.Name, e.UriScheme, e.Port)).Should().BeEquivalentTo(new[] { ("ws", "http", (int?)18080), ("console", "http", null) });
        bems.Annotations.OfType<HealthCheckAnnotation>().Should().ContainSingle();
        bems.ConnectionStringExpression.ValueExpression.Should().Be("ws://{bems.bindings.ws.host}:{bems.bindings.ws.port}/");
        bems.Annotations.OfType<ResourceCommandAnnotation>().Select(c => (c.Name, c.DisplayName)).Should().Contain(new[]
        {
            (BemsServerBuilderExtensions.ResetCommandName, "Reset"),
            (BemsServerBuilderExtensions.AdvanceClockCommandName, "Advance clock 1 min"),
            (BemsServerBuilderExtensions.OpenConsoleCommandName, "Open console"),
        });
    }

    [Fact]
    public void WithTenant_NamesTheTenantInTheConnectionString()
    {
        using var builder = DistributedApplicationTestingBuilder.Create();

        var bems = builder.AddBemsServer("bems").WithTenant("orders").Resource;

        bems.ConnectionStringExpression.ValueExpression.Should().Be("ws://{bems.bindings.ws.host}:{bems.bindings.ws.port}/t/orders/");
    }

    [Theory]
    [InlineData("")]
    [InlineData("a/b")]
    [InlineData("a b")]
    [InlineData("a12345678901234567890123456789012345678901234567890123456789012345")] // 66 characters: the server would refuse it
    public void WithTenant_NotATenantName_Throws(string tenant)
    {
        using var builder = DistributedApplicationTestingBuilder.Create();

        var adding = () => builder.AddBemsServer("bems").WithTenant(tenant);

        adding.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void WithTenant_SixtyFourCharacters_IsAccepted()
    {
        using var builder = DistributedApplicationTestingBuilder.Create();
        var name = new string('t', 64);

        var bems = builder.AddBemsServer("bems").WithTenant(name).Resource;

        bems.Tenant.Should().Be(name);
    }

    [Fact]
    public void WithServerAssembly_RunsItWithDotnet()
    {
        using var builder = DistributedApplicationTestingBuilder.Create();

        var bems = builder.AddBemsServer("bems").WithServerAssembly("/opt/bems/BemsServer.dll").Resource;

        bems.Command.Should().Be("dotnet");
        bems.ServerAssembly.Should().Be(Path.GetFullPath("/opt/bems/BemsServer.dll"));
    }
}
