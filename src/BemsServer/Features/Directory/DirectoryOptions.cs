namespace BemsServer.Features.Directory;

/// <summary><c>Bems:Directory</c>.</summary>
internal sealed class DirectoryOptions
{
    public const string SectionName = "Bems:Directory";

    /// <summary>JSON seed of the directory; empty for the built-in seed (simulated users echo, accept, decline, ignore).</summary>
    public string? SeedFile { get; set; }
}
