namespace BemsServer.Protocol;

/// <summary>
/// JSON-RPC error codes the emulator answers with. The standard codes come from JSON-RPC 2.0; the BEMS documentation
/// shows no numeric codes, so the -320xx server range is our choice (listed in docs/protocol.md).
/// </summary>
public static class ErrorCodes
{
    public const int ParseError = -32700;
    public const int InvalidRequest = -32600;
    public const int MethodNotFound = -32601;
    public const int InvalidParams = -32602;
    public const int InternalError = -32603;

    /// <summary>A method other than BeginSession was called before the session began.</summary>
    public const int SessionRequired = -32000;
    /// <summary>BeginSession or a token refresh carried a token the server does not accept.</summary>
    public const int AuthenticationFailed = -32001;
    /// <summary>BeginSession on a connection whose session has already begun.</summary>
    public const int SessionAlreadyBegun = -32002;
    /// <summary>The contact is not in the directory (strict mode) or is the caller itself.</summary>
    public const int UnknownContact = -32003;
    /// <summary>A requestId, messageId or chat that the server does not know (or no longer knows).</summary>
    public const int UnknownReference = -32004;
    /// <summary>The identity in a new token differs from the session's identity.</summary>
    public const int IdentityMismatch = -32005;
}
