using BemsServer.Control;
using BemsServer.Features.Directory;
using BemsServer.Features.Presence;
using BemsServer.Protocol.Admin;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BemsServer.Admin;

/// <summary>
/// Act as a directory user: the other side receives exactly the frames a real client of that user would cause. The
/// answer lists the acting user's own outcome frames released so far ("SendMessage COMPLETE", "MessageUpdate ack/timeout").
/// </summary>
internal sealed class InjectRoutes : IAdminRoutes
{
    public void Map(IEndpointRouteBuilder tenant)
    {
        var act = tenant.MapGroup("/users/{id}");
        act.MapPost("/send", (AdminScope scope, string id, InjectMessage body) =>
                Run(scope, id, body.To, (injector, user, to) => injector.SendMessage(user, to, body.Message, body.MessageId)))
            .WithSummary("SendMessage as the user: { to, message, messageId? }.");
        act.MapPost("/start-chat", (AdminScope scope, string id, InjectPeer body) =>
                Run(scope, id, body.To, static (injector, user, to) => injector.StartChat(user, to)))
            .WithSummary("StartChat as the user: { to }.");
        act.MapPost("/typing", (AdminScope scope, string id, InjectTyping body) =>
                Run(scope, id, body.To, (injector, user, to) => injector.Typing(user, to, body.Typing)))
            .WithSummary("StartTyping (typing: true) or StopTyping (false) as the user: { to, typing }.");
        act.MapPost("/end-chat", (AdminScope scope, string id, InjectPeer body) =>
                Run(scope, id, body.To, static (injector, user, to) => injector.EndChat(user, to)))
            .WithSummary("EndChat as the user: { to }.");
        act.MapPost("/presence", Results<Ok<InjectResult>, NotFound<string>> (AdminScope scope, string id, InjectPresence body) =>
            {
                if (scope.Tenant.Directory.FindByAddress(id) is not { } user) return TypedResults.NotFound($"{id} is not in the directory.");
                return TypedResults.Ok(new InjectResult(new Injector(scope.Tenant.Services).SetPresence(user, body.Normalized(), body.PersonalMessage)));
            })
            .WithSummary("SetPresence as the user: { presence?, personalMessage? } (at least one; without presence it is SetPersonalMessage).");
        act.MapPost("/accept", (AdminScope scope, string id, InjectAnswer body) => Answer(scope, id, body, accept: true))
            .WithSummary("AcceptChat as the user: { requestId } or { from } (the pending invitation from that user).");
        act.MapPost("/decline", (AdminScope scope, string id, InjectAnswer body) => Answer(scope, id, body, accept: false))
            .WithSummary("DeclineChat as the user: { requestId } or { from }.");
    }

    private static Results<Ok<InjectResult>, NotFound<string>> Run(
        AdminScope scope, string id, string to, Func<Injector, DirectoryUser, DirectoryUser, IReadOnlyList<string>> action)
    {
        var directory = scope.Tenant.Directory;
        if (directory.FindByAddress(id) is not { } user) return TypedResults.NotFound($"{id} is not in the directory.");
        if (directory.FindByAddress(to) is not { } peer || peer == user) return TypedResults.NotFound($"{to} is not another directory user.");
        return TypedResults.Ok(new InjectResult(action(new Injector(scope.Tenant.Services), user, peer)));
    }

    private static Results<Ok<InjectResult>, NotFound<string>> Answer(AdminScope scope, string id, InjectAnswer body, bool accept)
    {
        var directory = scope.Tenant.Directory;
        if (directory.FindByAddress(id) is not { } user) return TypedResults.NotFound($"{id} is not in the directory.");
        var injector = new Injector(scope.Tenant.Services);
        var requestId = body.RequestId
            ?? (directory.FindByAddress(body.From) is { } inviter ? injector.PendingInvitation(user, inviter) : null);
        var outcome = requestId is null ? null : accept ? injector.Accept(user, requestId) : injector.Decline(user, requestId);
        return outcome is null ? TypedResults.NotFound("No such invitation is waiting for the user.") : TypedResults.Ok(new InjectResult(outcome));
    }
}

internal static class InjectPresenceExtensions
{
    /// <summary>The canonical presence, null when absent; throws (400) for an unknown one or an empty request.</summary>
    public static string? Normalized(this InjectPresence body)
    {
        if (body.Presence is null)
            return body.PersonalMessage is null ? throw new ArgumentException("Give 'presence', 'personalMessage' or both.") : null;
        return PresenceStates.TryNormalize(body.Presence, out var presence)
            ? presence
            : throw new ArgumentException($"presence '{body.Presence}' is not one of {string.Join(", ", PresenceStates.All)}.");
    }
}
