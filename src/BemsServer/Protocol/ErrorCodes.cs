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

    /// <summary>Persistent chat: no such room (or a Secret room the caller is not a member of). The documented InnerError.</summary>
    public const int UnknownRoom = -32010;
    /// <summary>Persistent chat: another room already has that name. The documented InnerError.</summary>
    public const int DuplicateRoomName = -32011;
    /// <summary>Persistent chat: only a manager of the room may do this.</summary>
    public const int NotRoomManager = -32012;
    /// <summary>Persistent chat: the room is not Open and the caller is not a member, or the caller has not joined it.</summary>
    public const int RoomAccessDenied = -32013;
    /// <summary>Persistent chat: the room is disabled.</summary>
    public const int RoomDisabled = -32014;
    /// <summary>Persistent chat: the category is unknown, none is configured, or the caller is not one of its creators.</summary>
    public const int CategoryRefused = -32015;
    /// <summary>A groupId that is not one of the caller's contact-list groups.</summary>
    public const int UnknownGroup = -32006;
    /// <summary>A contact that is not in the caller's contact list (or not in the named group).</summary>
    public const int NotInContactList = -32007;
    /// <summary>AddGroup/RenameGroup with the name of another existing group.</summary>
    public const int GroupExists = -32008;
    /// <summary>RemoveGroup on a group that still has contacts (doc: "the group must be emptied first").</summary>
    public const int GroupNotEmpty = -32009;
    /// <summary>A request whose <c>dependencies</c> name a request of this session that failed.</summary>
    public const int DependencyFailed = -32020;
    /// <summary>A request whose <c>dependencies</c> name an id this session never sent.</summary>
    public const int DependencyUnknown = -32021;
}
