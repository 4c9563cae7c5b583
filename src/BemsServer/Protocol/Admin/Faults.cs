namespace BemsServer.Protocol.Admin;

/// <summary>What a fault rule does when it fires.</summary>
public enum FaultAction
{
    /// <summary>Answer the request with <see cref="FaultSpec.ErrorCode"/> / <see cref="FaultSpec.ErrorMessage"/>; the handler does not run.</summary>
    Error,
    /// <summary>Hold the PROCESSING response (and everything after it on that connection) for <see cref="FaultSpec.Delay"/>.</summary>
    DelayProcessing,
    /// <summary>Hold the COMPLETE (and everything after it on that connection) for <see cref="FaultSpec.Delay"/>.</summary>
    DelayComplete,
    /// <summary>Never send the COMPLETE.</summary>
    DropComplete,
    /// <summary>Send a MessageUpdate (<see cref="FaultSpec.UpdateType"/>/<see cref="FaultSpec.UpdateStatus"/>) instead of the COMPLETE.</summary>
    MessageUpdate,
    /// <summary>Close the socket with <see cref="FaultSpec.CloseCode"/>; the handler does not run.</summary>
    Close,
}

/// <summary>
/// A fault rule as the API takes it. Matching: <c>method</c> (required), optional <c>user</c>, <c>session</c>, and
/// <c>nth</c> (only the nth matching call, counted from 1). Firing: <c>times</c> (absent = always) and
/// <c>probability</c> drawn from a generator seeded with <c>seed</c>, so a run replays exactly.
/// </summary>
public sealed record FaultSpec
{
    public required string Method { get; init; }
    public string? User { get; init; }
    public string? Session { get; init; }
    public int? Nth { get; init; }
    public required FaultAction Action { get; init; }
    public int ErrorCode { get; init; } = ErrorCodes.InternalError;
    public string ErrorMessage { get; init; } = "Injected fault";
    public TimeSpan Delay { get; init; }

    /// <summary>Default: the server's timeout MessageUpdate type (<c>Wire.TimeoutType</c> in the server).</summary>
    public string UpdateType { get; init; } = "ack";

    /// <summary>Default: the server's timeout MessageUpdate status (<c>Wire.TimeoutStatus</c> in the server).</summary>
    public string UpdateStatus { get; init; } = "timeout";

    public int CloseCode { get; init; } = 4000;
    public string? CloseReason { get; init; }
    public int? Times { get; init; }
    public double? Probability { get; init; }
    public int Seed { get; init; }
}

/// <summary>A rule with its counters: matching calls seen, and the call numbers at which it fired.</summary>
public sealed record FaultRuleView(string Id, FaultSpec Rule, long Calls, IReadOnlyList<long> FiredAt);
