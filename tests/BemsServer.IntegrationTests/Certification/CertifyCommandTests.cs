using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using BemsServer.Hosting;

namespace BemsServer.IntegrationTests.Certification;

/// <summary>
/// <c>bems-server certify</c> in process: its own emulator on a free loopback port, the WebSocket address it prints, the
/// reports it writes and its exit codes (0 passed, 1 failed, 2 no client, 64 usage).
/// </summary>
public sealed partial class CertifyCommandTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(2);
    private readonly string _folder = Directory.CreateTempSubdirectory("certify-").FullName;

    private static string[] Args(params string[] args) =>
        [.. args, "--urls", "http://127.0.0.1:0", "--Serilog:MinimumLevel:Default=Warning"];

    /// <summary>Runs the command; once it prints its WebSocket address, an agent (when given) connects there.</summary>
    private static async Task<(int Code, string Output)> RunAsync(string[] args, AgentFault? agent = null)
    {
        var output = new AddressWriter();
        var command = CertifyCommand.RunAsync(args, output);
        if (agent is { } fault)
        {
            var address = await output.Address.Task.WaitAsync(Bound);
            await using var client = new ReferenceAgent(address, "alice@example.com", TimeProvider.System, fault);
            await client.StartAsync();
            return (await command.WaitAsync(Bound), output.ToString());
        }
        return (await command.WaitAsync(Bound), output.ToString());
    }

    [Fact]
    public async Task Certify_ReferenceAgent_ExitsZero_AndWritesTheJsonReport()
    {
        var json = Path.Combine(_folder, "certification.json");

        var (code, output) = await RunAsync(Args("--user", "alice@example.com", "--tenant", "ci", "--cases", "message-ack,well-formed-requests", "--json", json),
            AgentFault.None);

        code.Should().Be(CertifyCommand.Passed, output);
        output.Should().MatchRegex(@"connect it to ws://127\.0\.0\.1:\d+/t/ci/ ");
        output.Should().Contain("PASS message-ack: MessageAck #").And.Contain("2 passed, 0 failed (passed).");
        var report = JsonNode.Parse(await File.ReadAllTextAsync(json))!;
        report["status"]!.GetValue<string>().Should().Be("passed");
        report["tenant"]!.GetValue<string>().Should().Be("ci");
        report["verdicts"]!.AsArray().Select(static v => v!["case"]!.GetValue<string>()).Should().Equal("message-ack", "well-formed-requests");
    }

    [Fact]
    public async Task Certify_AgentThatNeverAcknowledges_ExitsOne_AndTheJUnitFailureNamesRuleAndFrames()
    {
        var junit = Path.Combine(_folder, "junit.xml");

        var (code, output) = await RunAsync(Args("--user", "alice@example.com", "--cases", "message-ack", "--junit", junit), AgentFault.NeverAcknowledges);

        code.Should().Be(CertifyCommand.Failed, output);
        output.Should().Contain("FAIL message-ack: [§3 step 7 and §4.15 MessageAck");
        var failure = XDocument.Load(junit).Descendants("testcase").Single().Element("failure")!;
        failure.Attribute("message")!.Value.Should().MatchRegex(@"^\[§3 step 7 and §4\.15 MessageAck.*\] No MessageAck of messageId 1 within 5 s .*\(frames: #\d+\)$");
    }

    [Fact]
    public async Task Certify_ClientNeverComes_ExitsTwo()
    {
        var (code, output) = await RunAsync(Args("--user", "alice@example.com", "--wait", "300ms"));

        code.Should().Be(CertifyCommand.NoClient, output);
        output.Should().Contain("(waiting up to 0.3 s)").And.Contain("The client of alice@example.com never signed in.");
    }

    [Fact]
    public async Task Certify_WithoutUser_OrWithAnUnknownCase_IsAUsageError()
    {
        (await RunAsync(Args("--tenant", "x"))).Code.Should().Be(CertifyCommand.Usage);
        var (code, output) = await RunAsync(Args("--user", "alice@example.com", "--cases", "nope"));
        code.Should().Be(CertifyCommand.Usage);
        output.Should().Contain("Unknown case(s) nope");
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>Keeps what the command prints, and the WebSocket address of its first line.</summary>
    private sealed partial class AddressWriter : StringWriter
    {
        public TaskCompletionSource<Uri> Address { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override Encoding Encoding => Encoding.UTF8;

        public override void WriteLine(string? value)
        {
            lock (this) base.WriteLine(value);
            if (value is not null && WebSocketAddress().Match(value) is { Success: true } match) Address.TrySetResult(new Uri(match.Value));
        }

        public override Task WriteLineAsync(string? value)
        {
            WriteLine(value);
            return Task.CompletedTask;
        }

        public override string ToString()
        {
            lock (this) return base.ToString();
        }

        [GeneratedRegex(@"ws://\S+/")]
        private static partial Regex WebSocketAddress();
    }
}
