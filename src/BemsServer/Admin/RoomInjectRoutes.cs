using BemsServer.Dispatch;
using BemsServer.Protocol;
using BemsServer.Protocol.Admin;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BemsServer.Admin;

/// <summary>
/// pc.SendMessage as a directory user, through the room service the handler uses: the room's participants get exactly
/// the pc.MessageReceived a real client's post causes (the author's own devices their copy with the messageId).
/// </summary>
internal sealed class RoomInjectRoutes : IAdminRoutes
{

    public void Map(IEndpointRouteBuilder tenant)
    {
        tenant.MapPost("/users/{id}/room-post", Results<NoContent, NotFound<string>, ProblemHttpResult> (AdminScope scope, string id, InjectRoomPost body) =>
            {
                if (scope.Tenant.Directory.FindByAddress(id) is not { } user) return TypedResults.NotFound($"{id} is not in the directory.");
                var messageId = body.MessageId ?? ProcessIds.Next("admin-");
                var fx = new Effects();
                try
                {
                    scope.Tenant.Rooms.Post(MethodNames.PcSendMessage, user, body.Room, body.Message, messageId, body.IsAlert, fx);
                }
                catch (BemsRpcException refused)
                {
                    return TypedResults.Problem(refused.Message, statusCode: StatusCodes.Status409Conflict);
                }
                fx.Release();
                return TypedResults.NoContent();
            })
            .WithSummary("pc.SendMessage as the user: { room, message, messageId?, isAlert? }; the user must have joined the room (else 409).");
    }
}
