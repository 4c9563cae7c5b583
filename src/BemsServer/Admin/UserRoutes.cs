using BemsServer.Features.Directory;
using BemsServer.Protocol.Admin;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BemsServer.Admin;

/// <summary>Directory users: list, add, edit, remove.</summary>
internal sealed class UserRoutes : IAdminRoutes
{
    public void Map(IEndpointRouteBuilder tenant)
    {
        tenant.MapGet("/users", (AdminScope scope) =>
                TypedResults.Ok(scope.Tenant.Directory.Users.OrderBy(static u => u.Key, StringComparer.Ordinal).Select(u => AdminViews.Of(scope.Tenant, u)).ToList()))
            .WithSummary("Lists the directory's users.");
        tenant.MapGet("/users/{id}", Results<Ok<UserView>, NotFound> (AdminScope scope, string id) =>
                Find(scope, id) is { } user ? TypedResults.Ok(AdminViews.Of(scope.Tenant, user)) : TypedResults.NotFound())
            .WithSummary("One directory user.");
        tenant.MapPost("/users", Results<Created<UserView>, Conflict<string>> (AdminScope scope, UserChange body) =>
                DirectoryAdmin.Add(scope.Tenant, body) is { } user
                    ? TypedResults.Created($"users/{user.Key}", AdminViews.Of(scope.Tenant, user))
                    : TypedResults.Conflict($"{body.Id} is already in the directory."))
            .WithSummary("Adds a user: id, optional displayName and behavior (none, accept, echo, decline, ignore).");
        tenant.MapPatch("/users/{id}", Results<Ok<UserView>, NotFound> (AdminScope scope, string id, UserChange body) =>
            {
                if (Find(scope, id) is not { } user) return TypedResults.NotFound();
                DirectoryAdmin.Edit(scope.Tenant, user, body);
                return TypedResults.Ok(AdminViews.Of(scope.Tenant, user));
            })
            .WithSummary("Edits a user's displayName and/or behavior.");
        tenant.MapDelete("/users/{id}", Results<NoContent, NotFound> (AdminScope scope, string id) =>
            {
                if (Find(scope, id) is not { } user) return TypedResults.NotFound();
                DirectoryAdmin.Remove(scope.Tenant, user);
                return TypedResults.NoContent();
            })
            .WithSummary($"Removes a user; its connections are closed with {DirectoryAdmin.UserRemovedCode}.");
    }

    internal static DirectoryUser? Find(AdminScope scope, string id) => scope.Tenant.Directory.FindByAddress(id);
}
