namespace BemsServer.Features.Sessions;

/// <summary>How BeginSession's tokens are checked.</summary>
internal enum AuthMode
{
    /// <summary>The token names the user (<c>alice@example.com</c> or <c>sip:alice@example.com</c>); anyone may sign in.</summary>
    Open,
    /// <summary>Only tokens listed in <see cref="AuthOptions.Tokens"/> are accepted.</summary>
    Strict,
}

/// <summary><c>Bems:Auth</c>.</summary>
internal sealed class AuthOptions
{
    public const string SectionName = "Bems:Auth";

    public AuthMode Mode { get; set; } = AuthMode.Open;

    /// <summary>Strict mode: token → user id (gdAuthToken for API 2.3, gdToken for API 2.2).</summary>
    public Dictionary<string, string> Tokens { get; set; } = [];
}
