using BemsServer.Control;

namespace BemsServer.Dashboard;

/// <summary>One protocol mistake a client made: the rule, where, and the client frame (or server answer) that shows it.</summary>
internal sealed record Advice(
    string Rule, string Title, string Spec, string Connection, string? User, long Seq, DateTimeOffset Time, string Detail,
    System.Text.Json.JsonElement? Frame);

/// <summary>The mistakes the advisor knows, each with the rule of the BEMS documentation (docs/spec/bems-connect-api.md) it breaks.</summary>
internal static class AdviceRules
{
    public const string RequestBeforeSession = "request-before-session";
    public const string ReusedRequestId = "reused-request-id";
    public const string MissingMessageId = "sendmessage-without-messageid";
    public const string MessageNotAcknowledged = "message-not-acknowledged";
    public const string UnknownParameter = "unknown-parameter";
    public const string NotReadingSocket = "not-reading-socket";

    public static readonly IReadOnlyDictionary<string, (string Title, string Spec)> All = new Dictionary<string, (string, string)>
    {
        [RequestBeforeSession] = ("Request before BeginSession",
            "§3 Session lifecycle: a client connects, then calls BeginSession; every other method works within that session."),
        [ReusedRequestId] = ("Request id reused while the first request is in flight",
            "§2.1 and §2.3: the PROCESSING response and the COMPLETE notification carry the request's id; two requests in flight under one id cannot be told apart."),
        [MissingMessageId] = ("SendMessage without messageId",
            "§4.25 SendMessage: messageId (String, required) is the client's id of the message, echoed back in MessageUpdate."),
        [MessageNotAcknowledged] = ("MessageReceived never acknowledged",
            "§3 step 7 and §4.15 MessageAck: received messages arrive as MessageReceived and are acknowledged with MessageAck (status \"delivered\")."),
        [UnknownParameter] = ("Unknown parameter",
            "§4/§5 parameter tables and §2.7 (dependencies, reconnect): a parameter the method does not document is ignored by the server."),
        [NotReadingSocket] = ("Client does not read its socket",
            "§2.3/§2.4: completions and events are pushed as they happen; a client that stops reading lets them pile up on the server, which disconnects it past Bems:Transport:MaxQueuedFrames."),
    };

    public static Advice Make(string rule, JournalEntry at, string detail) =>
        Make(rule, at.Connection, at.User, at.Seq, at.Time, detail, at.Frame);

    public static Advice Make(string rule, string connection, string? user, long seq, DateTimeOffset time, string detail, System.Text.Json.JsonElement? frame)
    {
        var (title, spec) = All[rule];
        return new Advice(rule, title, spec, connection, user, seq, time, detail, frame);
    }
}
