using BemsServer.Dispatch;
using BemsServer.Protocol;
using BemsServer.Protocol.Data;

namespace BemsServer.Features.Rooms;

/// <summary>
/// Finds rooms whose name (and description, unless searchDesc is false) contains the term. Secret rooms appear only to
/// their members; disabled rooms only with <c>disabled:true</c>.
/// </summary>
internal sealed class SearchRooms : IBemsMethod
{
    public string Name => MethodNames.PcSearchRooms;
    public bool? Background => null;

    public Reply Invoke(RpcCall call)
    {
        var levels = call.Params.OptionalStringArray("privacy", allowSingleString: true)?
            .Select(level => RoomRpcCallExtensions.ParsePrivacy(call, level, "privacy")).ToHashSet();
        var search = new RoomSearch(
            call.Params.RequiredString("searchTerm").Trim(),
            call.Params.OptionalBoolean("searchDesc") ?? true,
            call.Params.OptionalBoolean("isMemberOf") ?? false,
            call.Params.OptionalBoolean("disabled") ?? false,
            levels is { Count: > 0 } ? levels : null);
        call.CompleteRoom(new SearchRoomsData(call.Tenant.Rooms.Search(call.Me(), search)));
        return call.RoomProcessing(Name);
    }
}
