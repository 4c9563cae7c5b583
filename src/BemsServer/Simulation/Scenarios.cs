using BemsServer.Features;
using BemsServer.Features.Directory;
using BemsServer.Features.Presence;
using BemsServer.Protocol.Admin;

namespace BemsServer.Simulation;

/// <summary>A tenant's scripted users, by user key; their steps run on the tenant's simulation queue.</summary>
internal sealed class Scenarios(TenantServices tenant, SimulationQueue simulation)
{
    private readonly Dictionary<string, ScriptedUser> _users = new(StringComparer.Ordinal);

    public ScenarioView Set(DirectoryUser user, Scenario scenario)
    {
        Validate(scenario);
        var scripted = new ScriptedUser(tenant, simulation, user, scenario);
        lock (_users)
        {
            if (_users.Remove(user.Key, out var old)) tenant.Sessions.Unregister(old.Session);
            _users[user.Key] = scripted;
            tenant.Sessions.Register(scripted.Session);
        }
        return View(scripted);
    }

    public bool Remove(string userKey)
    {
        lock (_users)
        {
            if (!_users.Remove(userKey, out var old)) return false;
            tenant.Sessions.Unregister(old.Session);
            return true;
        }
    }

    public IReadOnlyList<ScenarioView> List()
    {
        lock (_users) return [.. _users.Values.Select(View)];
    }

    public void Clear()
    {
        lock (_users)
        {
            foreach (var user in _users.Values) tenant.Sessions.Unregister(user.Session);
            _users.Clear();
        }
    }

    private ScenarioView View(ScriptedUser user) =>
        new(user.Session.User.Uri, user.Session.Id, tenant.Sessions.All.Contains(user.Session), user.Scenario, user.StepsRun);

    private static bool IsValidPresenceStep(ScenarioStep step) =>
        step.Presence is null ? step.PersonalMessage is not null : PresenceStates.TryNormalize(step.Presence, out _);

    private static void Validate(Scenario scenario)
    {
        foreach (var trigger in scenario.On ?? throw new ArgumentException("'on' is required."))
        {
            if (!ScenarioNames.Events.Contains(trigger.Event, StringComparer.OrdinalIgnoreCase))
                throw new ArgumentException($"Unknown event '{trigger.Event}' ({string.Join(", ", ScenarioNames.Events)}).");
            if (trigger.Pattern is not null) _ = new System.Text.RegularExpressions.Regex(trigger.Pattern);
            foreach (var step in trigger.Steps ?? [])
            {
                if (!ScenarioNames.Steps.Contains(step.Do, StringComparer.OrdinalIgnoreCase))
                    throw new ArgumentException($"Unknown step '{step.Do}' ({string.Join(", ", ScenarioNames.Steps)}).");
                if (string.Equals(step.Do, ScenarioNames.Presence, StringComparison.OrdinalIgnoreCase) && !IsValidPresenceStep(step))
                    throw new ArgumentException($"A presence step needs a presence ({string.Join(", ", PresenceStates.All)}) and/or a personalMessage.");
            }
        }
    }
}
