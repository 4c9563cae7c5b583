namespace BemsServer.Hosting;

/// <summary>How the server's clock runs.</summary>
internal enum ClockMode
{
    /// <summary>The machine's clock.</summary>
    System,
    /// <summary>A clock that stands still until the admin API advances it (<c>POST /admin/clock/advance</c>).</summary>
    Virtual,
}

/// <summary><c>Bems:Clock</c>.</summary>
internal sealed class ClockOptions
{
    public const string SectionName = "Bems:Clock";

    public ClockMode Mode { get; set; } = ClockMode.System;
}
