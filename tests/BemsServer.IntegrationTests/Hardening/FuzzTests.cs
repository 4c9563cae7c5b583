using System.Globalization;
using BemsServer.IntegrationTests.Hardening.Fuzz;
using BemsServer.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace BemsServer.IntegrationTests.Hardening;

/// <summary>
/// The seeded fuzzer. CI runs a few thousand messages; <c>BEMS_FUZZ_MESSAGES=100000</c> (and optionally
/// <c>BEMS_FUZZ_SEED</c>) runs the long mode with the same test (see docs/reliability.md).
/// </summary>
public sealed class FuzzTests(BemsHost host, ITestOutputHelper output) : IClassFixture<BemsHost>
{
    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : fallback;

    [Fact]
    public async Task MutatedSpecSamples_EveryMessageAnsweredOnceInOrder_NoLeak_SentinelChatLosesNothing()
    {
        var messages = Setting("BEMS_FUZZ_MESSAGES", 3000);
        var seed = Setting("BEMS_FUZZ_SEED", 20261130);
        var started = System.Diagnostics.Stopwatch.StartNew();

        var report = await FuzzRun.RunAsync(host, messages, seed);

        output.WriteLine($"seed {seed}, {started.Elapsed.TotalSeconds:0.0} s: {report}");
        foreach (var failure in report.Failures.Take(200)) output.WriteLine(failure);
        report.Failures.Should().BeEmpty();
        report.Messages.Should().Be(messages);
        report.SentinelMessages.Should().Be((messages + 99) / 100);
        report.ByKind.Keys.Should().Contain(["sample", "type", "nesting", "size", "encoding", "envelope", "syntax", "extra"]);
    }
}
