using System.Net;
using System.Net.Sockets;
using BemsServer.IntegrationTests.Infrastructure;

namespace BemsServer.IntegrationTests.Service;

/// <summary>
/// Bad configuration, as a person meets it on the command line: the real server process ends with exit code 1 and one
/// line naming the setting and its value, without a stack trace.
/// </summary>
public sealed class StartupFailureTests
{
    [Theory]
    [InlineData("Bems:Directory:SeedFile", "missing-seed.json", "does not exist")]
    [InlineData("Bems:Directory:SeedFile", "broken-seed.json", "LineNumber: 1")]
    [InlineData("Bems:Transport:MaxMessageBytes", "12", "must be between 256 and 67108864")]
    [InlineData("Bems:Auth:Mode", "Lenient", "not a valid AuthMode (Open, Strict)")]
    public async Task BadSetting_EndsWithOneLineNamingItAndExitCode1(string setting, string value, string reason)
    {
        var files = new Dictionary<string, string> { ["broken-seed.json"] = "{ \"users\": [ { \"id\": \n" };
        await using var server = ServerProcess.Start(["--urls", "http://127.0.0.1:0", $"--{setting}", value], files);

        var exitCode = await server.WaitForExitAsync();

        exitCode.Should().Be(1);
        OneLine(server.Output).Should().StartWith($"BemsServer cannot start: {setting} = '{value}': ").And.Contain(reason);
    }

    [Fact]
    public async Task BusyPort_EndsWithOneLineNamingTheAddressAndExitCode1()
    {
        using var busy = new TcpListener(IPAddress.Loopback, 0);
        busy.Start();
        var urls = $"http://127.0.0.1:{((IPEndPoint)busy.LocalEndpoint).Port}";
        await using var server = ServerProcess.Start(["--urls", urls]);

        var exitCode = await server.WaitForExitAsync();

        exitCode.Should().Be(1);
        OneLine(server.Output).Should().StartWith($"BemsServer cannot start: Urls = '{urls}': the address is already in use");
    }

    private static string OneLine(string output)
    {
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        lines.Should().ContainSingle("the whole output is one line, got:\n{0}", output);
        output.Should().NotContain("   at ", "no stack trace");
        return lines[0];
    }
}
