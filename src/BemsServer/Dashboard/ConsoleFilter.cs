using BemsServer.Control;
using BemsServer.Protocol.Admin;

namespace BemsServer.Dashboard;

/// <summary>
/// What one browser watches: a tenant, and optionally a user (any spelling), a method, a direction (<c>in</c>/<c>out</c>)
/// and a piece of text the frame's JSON must contain. Only matching frames are sent to that browser.
/// </summary>
internal sealed record ConsoleFilter(string Tenant, string? User = null, string? Method = null, string? Direction = null, string? Text = null)
{
    private JournalFilter? _journal;

    /// <summary>The same filter as the journal's (one matching rule for the admin API and the console).</summary>
    public JournalFilter Journal => _journal ??= new JournalFilter
    {
        User = Blank(User), Method = Blank(Method), Direction = Blank(Direction), Contains = Blank(Text),
    };

    public bool Matches(JournalEntry entry) => entry.Tenant == Tenant && Journal.Matches(entry);

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
