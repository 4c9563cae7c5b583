using BemsServer.Dispatch;
using BemsServer.Features.Directory;
using BemsServer.Features.Rooms;
using BemsServer.Protocol.Admin;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BemsServer.Admin;

/// <summary>
/// Persistent-chat rooms, as the persistent-chat administrator sees them (Secret ones included). A room is named in the
/// path by its name or by the GUID after its id's last '/' (the whole <c>ma-chan://host/guid</c> cannot be a segment).
/// </summary>
internal sealed class RoomRoutes : IAdminRoutes
{
    public const int DefaultHistory = 20;

    public void Map(IEndpointRouteBuilder tenant)
    {
        tenant.MapGet("/rooms", (AdminScope scope) =>
                TypedResults.Ok(scope.Tenant.Rooms.Inspect(rooms => rooms.OrderBy(static r => r.Name, StringComparer.OrdinalIgnoreCase)
                    .Select(AdminViews.Summary).ToList())))
            .WithSummary("Lists every room (Secret and disabled ones included) with its member, participant and message counts.");
        tenant.MapGet("/rooms/{room}", Results<Ok<RoomView>, NotFound> (AdminScope scope, string room, int? limit) =>
                scope.Tenant.Rooms.Inspect(rooms => Find(rooms, room) is { } found
                    ? AdminViews.Of(found, Math.Clamp(limit ?? DefaultHistory, 0, int.MaxValue))
                    : null) is { } view ? TypedResults.Ok(view) : TypedResults.NotFound())
            .WithSummary($"One room: managers, members, participants and the last ?limit= messages (default {DefaultHistory}), oldest first.");
        tenant.MapPost("/rooms/{room}/disable", Results<NoContent, NotFound> (AdminScope scope, string room) =>
            {
                var rooms = scope.Tenant.Rooms;
                if (rooms.Inspect(all => Find(all, room)?.Id) is not { } id) return TypedResults.NotFound();
                var fx = new Effects();
                rooms.DisableAsAdministrator(id, fx);
                fx.Release();
                return TypedResults.NoContent();
            })
            .WithSummary("Disables a room as the administrator: members and participants get pc.RoomSettingsChanged isDisabled, nobody stays joined.");
    }

    private static Room? Find(IEnumerable<Room> rooms, string key) => rooms.FirstOrDefault(r =>
        r.Id.EndsWith("/" + key, StringComparison.Ordinal) || string.Equals(r.Name, key, StringComparison.OrdinalIgnoreCase));
}

internal static partial class AdminViews
{
    public static RoomSummary Summary(Room room) => new(room.Id, room.Name, room.Category.Id, room.Privacy, room.IsDisabled,
        room.Members.Count, room.Participants.Count, room.History.Count);

    public static RoomView Of(Room room, int history) => new(
        room.Id, room.Name, room.Description, room.Category.Id, room.Privacy, room.IsDisabled, room.SkipInvitations,
        Uris(room.Managers), Uris(room.Members), Uris(room.Participants), room.History.Count,
        [.. room.History.TakeLast(history).Select(static m => new RoomMessageView(m.Id, m.Author.Uri, m.Text, m.IsAlert, m.Timestamp))]);

    private static string[] Uris(IEnumerable<string> keys) => [.. keys.Order(StringComparer.Ordinal).Select(ContactAddress.ToUri)];
}
