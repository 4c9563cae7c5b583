namespace BemsServer.Protocol;

/// <summary>
/// Per-method envelope facts from the documentation (spec §2.8): the top-level <c>background</c> value of each PROCESSING
/// response, <c>null</c> where the documented response has none.
/// </summary>
public static class MethodCatalog
{
    public static bool? Background(string method) => method switch
    {
        MethodNames.AcceptChat or MethodNames.DeclineChat or MethodNames.EndChat => true,
        MethodNames.BeginSession or MethodNames.TerminateSession or MethodNames.Ping
            or MethodNames.StartChat or MethodNames.SendMessage or MethodNames.MessageAck
            or MethodNames.StartTyping or MethodNames.StopTyping => false,
        _ => null,
    };
}
