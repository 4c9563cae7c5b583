namespace BemsServer.Protocol.Admin;

/// <summary>
/// A script for a directory user: on an event, a list of steps. Events: <c>invitation</c>, <c>message</c> (optionally
/// only when the text matches <c>pattern</c>, a regular expression) and <c>presence</c> (a presence change of a
/// contact, once presence exists). Steps (<c>do</c>): <c>wait</c> (<c>delay</c>, on the server's clock),
/// <c>reply</c> (<c>text</c>), <c>typing</c>, <c>stopTyping</c>, <c>accept</c>, <c>decline</c>,
/// <c>presence</c> (<c>presence</c>), <c>offline</c>.
/// </summary>
public sealed record Scenario(IReadOnlyList<ScenarioTrigger> On);

/// <summary>One reaction of a script.</summary>
public sealed record ScenarioTrigger(string Event, IReadOnlyList<ScenarioStep> Steps, string? Pattern = null);

/// <summary>One step of a reaction.</summary>
public sealed record ScenarioStep(string Do, TimeSpan? Delay = null, string? Text = null, string? Presence = null, string? PersonalMessage = null);

/// <summary>A scripted user as the API lists it.</summary>
public sealed record ScenarioView(string User, string Session, bool Online, Scenario Scenario, long StepsRun);
