using BemsServer.Features.Directory;
using BemsServer.Features.Sessions;
using BemsServer.Protocol.Admin;
using BemsServer.Simulation;
using BemsServer.Tenancy;

namespace BemsServer.Admin;

internal static partial class AdminViews
{
    public static UserView Of(Tenant tenant, DirectoryUser user)
    {
        var sessions = tenant.Sessions.TargetsOf(user.Key).Count;
        var state = tenant.Presence.StateOf(user);
        return new(user.Uri, user.DisplayName, user.Behavior, sessions > 0, sessions, state.Presence, state.PersonalMessage);
    }
}

/// <summary>Directory changes with their side effects on simulated users.</summary>
internal static class DirectoryAdmin
{
    /// <summary>Close code of a removed user's connections.</summary>
    public const int UserRemovedCode = 4001;

    public static string Normalize(string? id) => ContactAddress.TryNormalize(id, out var key) ? key : throw Invalid(id);

    public static DirectoryUser? Add(Tenant tenant, UserChange change)
    {
        var key = Normalize(change.Id);
        var user = new DirectoryUser(key, change.DisplayName ?? key[..key.IndexOf('@')], change.Behavior ?? Behavior.None);
        if (!tenant.Directory.TryAdd(user)) return null;
        if (user.Behavior != Behavior.None) StartBot(tenant, user);
        return user;
    }

    public static void Edit(Tenant tenant, DirectoryUser user, UserChange change)
    {
        if (change.DisplayName is not null) user.DisplayName = change.DisplayName;
        if (change.Behavior is not { } behavior || behavior == user.Behavior) return;
        var wasBot = user.Behavior != Behavior.None;
        user.Behavior = behavior; // a running bot reads its behaviour per event
        if (!wasBot && behavior != Behavior.None) StartBot(tenant, user);
        else if (wasBot && behavior == Behavior.None) StopBot(tenant, user);
    }

    public static void Remove(Tenant tenant, DirectoryUser user)
    {
        StopBot(tenant, user);
        tenant.Control.Scenarios.Remove(user.Key);
        foreach (var connection in tenant.Control.Connections)
            if (connection.Client.Session?.User == user) connection.Close(UserRemovedCode, "user removed");
        tenant.Directory.Remove(user.Key);
    }

    private static void StartBot(Tenant tenant, DirectoryUser user)
    {
        var bot = new SimulatedUser(user, tenant.Sessions.NextSessionId(), tenant.Chats, tenant.Directory, tenant.Simulation, tenant.Time.GetUtcNow());
        tenant.Sessions.Register(bot.Session);
    }

    private static void StopBot(Tenant tenant, DirectoryUser user)
    {
        foreach (var session in tenant.Sessions.All.Where(s => s.User == user && s.Kind == SessionKind.Simulated).ToList())
            tenant.Sessions.Unregister(session);
    }

    private static ArgumentException Invalid(string? id) => new($"'{id}' is not a user id such as sip:alice@example.com.");

    /// <summary>Whether a session is a simulated or scripted user rather than a client connection.</summary>
    public static bool IsSimulated(Session session) => session.Kind is SessionKind.Simulated or SessionKind.Scripted;
}
