namespace BemsServer.Protocol.Admin;

/// <summary>A tenant's configuration: directory users, fault rules and scripts (and, exported for inspection only, its chats).</summary>
public sealed record Snapshot(IReadOnlyList<UserChange>? Users, IReadOnlyList<FaultSpec>? Faults, IReadOnlyList<ScriptSnapshot>? Scenarios, IReadOnlyList<ChatView>? Chats = null);

/// <summary>A scripted user of a snapshot.</summary>
public sealed record ScriptSnapshot(string User, Scenario Scenario);
