using System.Collections.Frozen;
using BemsServer.Protocol;

namespace BemsServer.Dispatch;

/// <summary>
/// Every parameter spelling the documentation's samples use besides its tables' (spec §8), declared once: method (as sent,
/// aliases included) and documented name → the other spellings accepted. Looked up only when the documented name is absent.
/// </summary>
internal static class ParamAliases
{
    private static readonly FrozenDictionary<(string Method, string Param), string[]> Table = new Dictionary<(string, string), string[]>
    {
        // §8.13: MoveContact's sample sends contactIds and fromGrouId.
        [(MethodNames.MoveContact, "contactId")] = ["contactIds"],
        [(MethodNames.MoveContact, "fromGroupId")] = ["fromGrouId"],
        // §8.12: UnRegisterTempRemotePresence's sample sends contactIds (under either method name).
        [(MethodNames.UnRegisterTempRemotePresence, "contactId")] = ["contactIds"],
        [(MethodNames.UnRegisterTempRemotePresenceSubscription, "contactId")] = ["contactIds"],
        // §8.15: SetGDToken's sample sends the token under the key SetGDToken.
        [(MethodNames.SetGDToken, "gdToken")] = ["SetGDToken"],
        // §8.16: the file-transfer tables spell contactid.
        [(MethodNames.InviteFileXfer, "contactId")] = ["contactid"],
        [(MethodNames.AcceptFileXfer, "contactId")] = ["contactid"],
        [(MethodNames.DeclineFileXfer, "contactId")] = ["contactid"],
        // §8.14: pc.GetRoomParticipants' sample sends roomID.
        [("pc.GetRoomParticipants", "roomId")] = ["roomID"],
    }.ToFrozenDictionary();

    public static IReadOnlyList<string> Of(string method, string param) => Table.GetValueOrDefault((method, param), []);

    /// <summary>Every alias, for the documentation and its test.</summary>
    public static IEnumerable<(string Method, string Param, string Alias)> All =>
        Table.SelectMany(e => e.Value.Select(alias => (e.Key.Method, e.Key.Param, alias)));
}
