using System.Reflection;
using Microsoft.Extensions.Logging;

namespace BemsServer.Tests.Diagnostics;

/// <summary>
/// Every log message the server defines (<see cref="LoggerMessageAttribute"/>) has its own EventId, in the range of the
/// area it belongs to (the top-level folder, <c>BemsServer.&lt;Area&gt;</c>), so that an operator can filter by range.
/// </summary>
public sealed class EventIdTests
{
    /// <summary>The areas' EventId ranges (inclusive). Hosting's Ready (100) and the Dashboard's 1201 predate the scheme.</summary>
    public static readonly IReadOnlyDictionary<string, (int First, int Last)> Ranges = new Dictionary<string, (int First, int Last)>
    {
        ["Dispatch"] = (1, 99),
        ["Hosting"] = (100, 199),
        ["Transport"] = (200, 299),
        ["Features"] = (300, 399),
        ["Control"] = (400, 449),
        ["Simulation"] = (450, 499),
        ["Cluster"] = (500, 599),
        ["Diagnostics"] = (600, 699),
        ["Tenancy"] = (700, 799),
        ["Protocol"] = (800, 899),
        ["Services"] = (900, 999),
        ["Admin"] = (1100, 1199),
        ["Dashboard"] = (1200, 1299),
    };

    private static readonly (MethodInfo Method, LoggerMessageAttribute Message)[] Messages =
    [
        .. typeof(Program).Assembly.GetTypes()
            .SelectMany(static t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static
                | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Select(static m => (Method: m, Message: m.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(static m => m.Message is not null)
            .Select(static m => (m.Method, m.Message!)),
    ];

    private static string Name(MethodInfo method) => $"{method.DeclaringType!.FullName}.{method.Name}";

    /// <summary>The area of a message: the folder under src/BemsServer, as its declaring type's namespace names it.</summary>
    public static string? AreaOf(Type type) => type.Namespace?.Split('.') is ["BemsServer", var area, ..] ? area : null;

    [Fact]
    public void TheServerDefinesLogMessages()
    {
        Messages.Should().HaveCountGreaterThan(10, "the reflection finds the server's [LoggerMessage] methods");
    }

    [Fact]
    public void EveryLogMessage_HasAnExplicitEventId()
    {
        Messages.Where(static m => m.Message.EventId <= 0).Select(static m => Name(m.Method))
            .Should().BeEmpty("every [LoggerMessage] carries an EventId > 0");
    }

    [Fact]
    public void EventIds_AreUniqueAcrossTheServer()
    {
        Messages.GroupBy(static m => m.Message.EventId).Where(static g => g.Count() > 1)
            .Select(static g => $"{g.Key}: {string.Join(", ", g.Select(static m => Name(m.Method)))}")
            .Should().BeEmpty("an EventId names one message");
    }

    [Fact]
    public void EveryEventId_LiesInItsAreasRange()
    {
        var misplaced = Messages
            .Where(static m => !(AreaOf(m.Method.DeclaringType!) is { } area && Ranges.TryGetValue(area, out var range)
                && m.Message.EventId >= range.First && m.Message.EventId <= range.Last))
            .Select(static m => $"{Name(m.Method)}: {m.Message.EventId} (area {AreaOf(m.Method.DeclaringType!) ?? "none"})");

        misplaced.Should().BeEmpty("each area numbers its messages in its own range (see Ranges)");
    }

    [Fact]
    public void TheRanges_DoNotOverlap()
    {
        var ordered = Ranges.Values.OrderBy(static r => r.First).ToList();

        ordered.Should().OnlyContain(static r => r.First > 0 && r.First <= r.Last);
        ordered.Zip(ordered.Skip(1)).Should().OnlyContain(static p => p.First.Last < p.Second.First);
    }
}
