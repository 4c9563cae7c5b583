using BemsServer.Features.Chats;
using BemsServer.Protocol.Admin;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BemsServer.Admin;

/// <summary>The tenant's open and pending one-to-one chats, each with its newest delivered messages.</summary>
internal sealed class ChatRoutes : IAdminRoutes
{
    public void Map(IEndpointRouteBuilder tenant)
    {
        tenant.MapGet("/chats", (AdminScope scope) => TypedResults.Ok(scope.Tenant.Chats.Chats.Select(AdminViews.Of).ToList()))
            .WithSummary("Lists the open and pending chats (closed chats are forgotten).");
        tenant.MapGet("/chats/{id}", Results<Ok<ChatView>, NotFound> (AdminScope scope, string id) =>
                scope.Tenant.Chats.Find(id) is { } chat ? TypedResults.Ok(AdminViews.Of(chat)) : TypedResults.NotFound())
            .WithSummary("One chat: the messages still queued behind its invitation and the last delivered ones (Bems:Chat:MessageLog, default 200).");
    }
}

/// <summary>The admin API's views of the tenant's state (the records are the contract in BemsServer.Protocol.Admin).</summary>
internal static partial class AdminViews
{
    public static ChatView Of(Chat chat)
    {
        lock (chat.Gate)
            return new(chat.Id, chat.Inviter.Uri, chat.Invitee.Uri, chat.State,
                [.. chat.Queue.Select(static q => new QueuedView(q.From.Uri, q.Text, q.ClientMessageId, q.Timestamp))],
                [.. chat.Delivered().Select(static m => new MessageView(m.Id, m.From.Uri, m.Text, m.ClientMessageId, m.Timestamp))]);
    }
}
