using BemsServer.Features.Chats;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BemsServer.Admin;

/// <summary>The tenant's open and pending one-to-one chats, each with its newest delivered messages.</summary>
public sealed class ChatRoutes : IAdminRoutes
{
    public void Map(IEndpointRouteBuilder tenant)
    {
        tenant.MapGet("/chats", (AdminScope scope) => TypedResults.Ok(scope.Tenant.Chats.Chats.Select(ChatView.Of).ToList()))
            .WithSummary("Lists the open and pending chats (closed chats are forgotten).");
        tenant.MapGet("/chats/{id}", Results<Ok<ChatView>, NotFound> (AdminScope scope, string id) =>
                scope.Tenant.Chats.Find(id) is { } chat ? TypedResults.Ok(ChatView.Of(chat)) : TypedResults.NotFound())
            .WithSummary("One chat: the messages still queued behind its invitation and the last delivered ones (Bems:Chat:MessageLog, default 200).");
    }
}

public sealed record ChatView(string Id, string Inviter, string Invitee, ChatState State, IReadOnlyList<QueuedView> Queued,
    IReadOnlyList<MessageView>? Messages = null)
{
    public static ChatView Of(Chat chat)
    {
        lock (chat.Gate)
            return new(chat.Id, chat.Inviter.Uri, chat.Invitee.Uri, chat.State,
                [.. chat.Queue.Select(static q => new QueuedView(q.From.Uri, q.Text, q.ClientMessageId, q.Timestamp))],
                [.. chat.Delivered.Select(static m => new MessageView(m.Id, m.From.Uri, m.Text, m.ClientMessageId, m.Timestamp))]);
    }
}

/// <summary>A delivered message: <c>id</c> is the server's (MessageReceived's messageId), <c>messageId</c> the sender's.</summary>
public sealed record MessageView(string Id, string From, string Message, string MessageId, long Timestamp);

public sealed record QueuedView(string From, string Message, string MessageId, long Timestamp);
