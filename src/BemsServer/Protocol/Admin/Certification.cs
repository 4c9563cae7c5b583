namespace BemsServer.Protocol.Admin;

/// <summary>
/// <c>POST certify</c>: certify the client of <c>user</c> on the tenant. <c>cases</c> names the cases to run, in the
/// catalogue's order (absent: every automatic case); <c>wait</c> bounds the wait for the client to sign in (default 60 s).
/// </summary>
public sealed record CertifyRequest(string User, IReadOnlyList<string>? Cases = null, TimeSpan? Wait = null);

/// <summary>Where a certification run stands.</summary>
public enum CertificationStatus
{
    /// <summary>Waiting for the user's client to sign in.</summary>
    Waiting,
    /// <summary>Running its cases, one after another.</summary>
    Running,
    /// <summary>Every case passed.</summary>
    Passed,
    /// <summary>At least one case failed.</summary>
    Failed,
    /// <summary>The client never signed in within the wait.</summary>
    NoClient,
    /// <summary>Stopped before its end (the server shut down).</summary>
    Cancelled,
}

/// <summary>
/// One case's verdict: <c>rule</c> names the spec section or docs/protocol.md choice it judges, <c>window</c> how long the
/// client had, <c>frames</c> the journal numbers (<c>seq</c>) of the frames that show it.
/// </summary>
public sealed record CaseVerdict(string Case, bool Passed, string Rule, string Window, string Message, IReadOnlyList<long> Frames);

/// <summary>
/// A certification run: its progress (<c>current</c>, and <c>prompt</c> while an interactive case waits for the person
/// at the client), the verdicts so far, in case order, and the cases still to run.
/// </summary>
public sealed record CertificationRunView(
    string Id, string Tenant, string User, CertificationStatus Status, string? Current, string? Prompt,
    DateTimeOffset Started, DateTimeOffset? Finished, int Passed, int Failed, IReadOnlyList<CaseVerdict> Verdicts,
    IReadOnlyList<string> Pending);

/// <summary>A case of the catalogue (<c>GET certify/cases</c>): its stable name, rule, window and how it is judged.</summary>
public sealed record CertificationCaseInfo(string Name, bool Interactive, string Rule, string Window, string Judged);
