using BemsServer.Dispatch;

namespace BemsServer.Features.Presence;

/// <summary>Parameter checks shared by the presence methods and BeginSession.</summary>
internal static class PresenceRpcCallExtensions
{
    /// <summary>The <c>presence</c> parameter, canonical lower case; null when optional and absent.</summary>
    public static string? PresenceParam(this RpcCall call, bool required)
    {
        var raw = required ? call.Params.RequiredString("presence") : call.Params.OptionalString("presence");
        if (!required && string.IsNullOrWhiteSpace(raw)) return null;
        if (!PresenceStates.TryNormalize(raw, out var presence))
            throw call.Params.Invalid("presence", $"presence '{raw}' is not one of {string.Join(", ", PresenceStates.All)}.");
        return presence;
    }
}
