using System.Text.Json;
using BemsServer.Protocol.Admin;
using BemsServer.Tenancy;
using Microsoft.Extensions.Options;

namespace BemsServer.Admin;

/// <summary>
/// Export and import of a tenant's configuration: directory users, fault rules and scripts (chats are exported for
/// inspection only). Importing replaces those three and clears the traffic; live connections stay open.
/// </summary>
internal sealed class SnapshotRoutes : IAdminRoutes
{
    public void Map(IEndpointRouteBuilder tenant)
    {
        tenant.MapGet("/snapshot", (AdminScope scope) => TypedResults.Ok(Export(scope.Tenant)))
            .WithSummary("Exports the tenant: users, fault rules, scripts (and, for inspection, chats).");
        tenant.MapPost("/snapshot", (AdminScope scope, Snapshot body) =>
            {
                Import(scope.Tenant, body);
                return TypedResults.Ok(Export(scope.Tenant));
            })
            .WithSummary("Imports a snapshot: replaces users, fault rules and scripts; clears journal and chats.");
    }

    public static Snapshot Export(Tenant tenant) => new(
        [.. tenant.Directory.Users.OrderBy(static u => u.Key, StringComparer.Ordinal).Select(static u => new UserChange(u.Uri, u.DisplayName, u.Behavior))],
        [.. tenant.Control.Faults.List().Select(static f => f.Rule)],
        [.. tenant.Control.Scenarios.List().Select(static s => new ScriptSnapshot(s.User, s.Scenario))],
        [.. tenant.Chats.Chats.Select(AdminViews.Of)]);

    public static void Import(Tenant tenant, Snapshot snapshot)
    {
        var wanted = (snapshot.Users ?? []).ToDictionary(static u => DirectoryAdmin.Normalize(u.Id), StringComparer.Ordinal);
        TenantOps.ResetTraffic(tenant);
        tenant.Control.Scenarios.Clear();
        foreach (var user in tenant.Directory.Users.ToList())
        {
            if (!wanted.Remove(user.Key, out var change)) DirectoryAdmin.Remove(tenant, user);
            else DirectoryAdmin.Edit(tenant, user, change);
        }
        foreach (var change in wanted.Values) DirectoryAdmin.Add(tenant, change);
        foreach (var fault in snapshot.Faults ?? []) tenant.Control.Faults.Add(fault);
        foreach (var script in snapshot.Scenarios ?? [])
            if (tenant.Directory.FindByAddress(script.User) is { } user) tenant.Control.Scenarios.Set(user, script.Scenario);
    }

    /// <summary><c>Bems:Admin:SnapshotFile</c>: imported into the default tenant before the server takes calls.</summary>
    public static void ImportOnStart(WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<AdminOptions>>().Value.SnapshotFile is not { Length: > 0 } file) return;
        var json = app.Services.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        using var stream = File.OpenRead(file);
        var snapshot = JsonSerializer.Deserialize<Snapshot>(stream, json) ?? throw new InvalidDataException($"{file} holds no snapshot.");
        Import(app.Services.GetRequiredService<TenantRegistry>().Default, snapshot);
    }
}
