using BemsServer.Protocol.Services;

namespace BemsServer.Features.Presence;

/// <summary>
/// Connect's presence states read as the REST presence service's Lync availability codes (the sample's constants). The
/// mapping is ours (docs/protocol.md, docs/services.md): each Connect state to the code of the same name.
/// </summary>
internal static class LyncCodes
{
    public static int Of(string presence) => presence.ToLowerInvariant() switch
    {
        PresenceStates.Available => LyncAvailability.Available,
        "busy" => LyncAvailability.Busy,
        "donotdisturb" => LyncAvailability.DoNotDisturb,
        "berightback" => LyncAvailability.BeRightBack,
        "away" => LyncAvailability.Away,
        _ => LyncAvailability.Offline,
    };
}
