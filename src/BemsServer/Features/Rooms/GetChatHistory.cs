using BemsServer.Dispatch;
using BemsServer.Features.Directory;
using BemsServer.Protocol;
using BemsServer.Protocol.Data;

namespace BemsServer.Features.Rooms;

/// <summary>
/// Reads room history. <c>roomsId</c> (sic) is one id, a comma-separated list, or an array. At most 20 messages per
/// call (the documented batch); page on with afterMessageId.
/// </summary>
internal sealed class GetChatHistory : IBemsMethod
{
    public string Name => MethodNames.PcGetChatHistory;
    public bool? Background => null;

    public Reply Invoke(RpcCall call)
    {
        var roomIds = (call.Params.OptionalStringArray("roomsId", allowSingleString: true) ?? [])
            .SelectMany(ids => ids.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
        if (roomIds.Count == 0) throw call.Params.Invalid("roomsId", "Missing required parameter 'roomsId' (one or more room ids).");
        foreach (var id in roomIds) RoomRpcCallExtensions.CheckRoomId(call, id, "roomsId");

        var limit = call.Params.OptionalInteger("resultLimit") ?? RoomService.HistoryBatch;
        if (limit < 1) throw call.Params.Invalid("resultLimit", "'resultLimit' must be at least 1.");
        var authors = call.Params.OptionalStringArray("authors", allowSingleString: true)?.Select(raw =>
            ContactAddress.TryNormalize(raw, out var key) ? key : throw call.Params.Invalid("authors", $"'{raw}' is not a user id.")).ToHashSet();
        var query = new HistoryQuery(
            (int)Math.Min(limit, RoomService.HistoryBatch),
            call.Params.OptionalString("searchString") is { Length: > 0 } text ? text : null,
            authors is { Count: > 0 } ? authors : null,
            call.Params.OptionalInteger("startDate"),
            call.Params.OptionalInteger("endDate"),
            call.Params.OptionalInteger("afterMessageId"),
            call.Params.OptionalBoolean("chronological") ?? false);

        call.CompleteRoom(new ChatHistoryData(call.Tenant.Rooms.History(call.Method, call.Me(), roomIds, query)));
        return call.RoomProcessing(Name);
    }
}
