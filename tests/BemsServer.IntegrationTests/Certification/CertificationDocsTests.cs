using BemsServer.Certification;

namespace BemsServer.IntegrationTests.Certification;

/// <summary>docs/certification.md lists every case of the catalogue, with its rule and window.</summary>
public sealed class CertificationDocsTests
{
    [Fact]
    public void Docs_ListEveryCase_InTheCatalogueOrder_EachWithItsWindow()
    {
        var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "docs", "certification.md"))
            .Where(static l => l.StartsWith("| `", StringComparison.Ordinal)).ToList();

        lines.Select(static l => l[3..l.IndexOf('`', 3)]).Should().Equal(CertificationCases.All.Select(static c => c.Name));
        foreach (var (line, @case) in lines.Zip(CertificationCases.All))
        {
            line.Contains(" (interactive) |", StringComparison.Ordinal).Should().Be(@case.Interactive, @case.Name);
            line.Should().Contain($"| {@case.Window} |", "the window the docs give is the case's own");
        }
    }
}
