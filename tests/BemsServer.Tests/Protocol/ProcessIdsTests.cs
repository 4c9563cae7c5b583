using System.Globalization;
using BemsServer.Protocol;

namespace BemsServer.Tests.Protocol;

/// <summary>One id source per process: ids of different schemes, made on many threads, never share a number.</summary>
public sealed class ProcessIdsTests
{
    [Fact]
    public async Task Next_AcrossSchemesAndThreads_NeverRepeatsANumber()
    {
        var made = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => Task.Run(() =>
            Enumerable.Range(0, 1000).Select(_ => ProcessIds.Next(i % 2 == 0 ? "conn-" : "admin-")).ToArray())));

        var numbers = made.SelectMany(static ids => ids)
            .Select(static id => long.Parse(id[(id.IndexOf('-', StringComparison.Ordinal) + 1)..], CultureInfo.InvariantCulture)).ToList();
        numbers.Should().OnlyHaveUniqueItems().And.HaveCount(4000);
        made[0].Should().OnlyContain(static id => id.StartsWith("conn-", StringComparison.Ordinal));
    }
}
