using System.ComponentModel.DataAnnotations;

namespace BemsServer.Control;

/// <summary><c>Bems:Journal</c>: the frame journal.</summary>
internal sealed class JournalOptions
{
    public const string SectionName = "Bems:Journal";

    /// <summary>Frames kept per tenant; older ones are dropped first (and counted). 0 turns the journal off.</summary>
    [Range(0, 10_000_000)]
    public int Capacity { get; set; } = 10_000;
}
