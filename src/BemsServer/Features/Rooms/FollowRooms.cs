using BemsServer.Dispatch;
using BemsServer.Protocol;
using BemsServer.Protocol.Data;

namespace BemsServer.Features.Rooms;

/// <summary>
/// Follows/unfollows rooms. <c>replaceList</c> is required: true replaces the followed list by roomsToFollow (then
/// roomsToUnfollow must be absent); false adds and removes (then at least one list must be given).
/// </summary>
internal sealed class FollowRooms : IBemsMethod
{
    public string Name => MethodNames.PcFollowRooms;
    public bool? Background => null;

    public Reply Invoke(RpcCall call)
    {
        var replace = call.Params.OptionalBoolean("replaceList")
            ?? throw call.Params.Invalid("replaceList", "Missing required parameter 'replaceList' (a boolean).");
        var follow = call.Params.OptionalStringArray("roomsToFollow");
        var unfollow = call.Params.OptionalStringArray("roomsToUnfollow");
        if (replace && unfollow is not null)
            throw call.Params.Invalid("roomsToUnfollow", "With replaceList true, give roomsToFollow only.");
        if (!replace && follow is null && unfollow is null)
            throw call.Params.Invalid("roomsToFollow", "With replaceList false, give roomsToFollow or roomsToUnfollow.");
        foreach (var id in follow ?? []) RoomRpcCallExtensions.CheckRoomId(call, id, "roomsToFollow");
        foreach (var id in unfollow ?? []) RoomRpcCallExtensions.CheckRoomId(call, id, "roomsToUnfollow");

        call.CompleteRoom(new MethodData(Name));
        call.Tenant.Rooms.FollowRooms(call.Method, call.Me(), follow ?? [], unfollow ?? [], replace, call.Effects);
        return call.RoomProcessing(Name);
    }
}
