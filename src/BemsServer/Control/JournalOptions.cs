using System.ComponentModel.DataAnnotations;

namespace BemsServer.Control;

/// <summary><c>Bems:Journal</c>: the frame journal.</summary>
internal sealed class JournalOptions
{
    public const string SectionName = "Bems:Journal";

    /// <summary>Frames kept per tenant; older ones are dropped first (and counted). 0 turns the journal off.</summary>
    [Range(0, 10_000_000)]
    public int Capacity { get; set; } = 10_000;

    /// <summary>
    /// Bytes of frames kept per tenant: the ring grows to this as traffic needs it, then the oldest frames make room. A
    /// frame larger than this is not kept (and counted as dropped).
    /// </summary>
    [Range(1024, 1 << 30)]
    public int MaxBytes { get; set; } = 8 * 1024 * 1024;
}
