namespace BemsServer.Simulation;

/// <summary>The step and event names a script may use.</summary>
internal static class ScenarioNames
{
    public const string Invitation = "invitation";
    public const string Message = "message";
    public const string PresenceChange = "presence";

    public const string Wait = "wait";
    public const string Reply = "reply";
    public const string Typing = "typing";
    public const string StopTyping = "stopTyping";
    public const string Accept = "accept";
    public const string Decline = "decline";
    public const string Presence = "presence";
    public const string Offline = "offline";

    public static readonly string[] Events = [Invitation, Message, PresenceChange];
    public static readonly string[] Steps = [Wait, Reply, Typing, StopTyping, Accept, Decline, Presence, Offline];
}
