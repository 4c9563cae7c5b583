using System.Collections.Frozen;
using BemsServer.Dispatch;
using BemsServer.Features.Directory;
using BemsServer.Protocol;
using BemsServer.Protocol.Admin;
using BemsServer.Protocol.Data;

namespace BemsServer.Features.Rooms;

/// <summary>Parameter checks and the completion envelope shared by the pc.* methods.</summary>
internal static class RoomRpcCallExtensions
{
    /// <summary>Documented limit of names and descriptions, spaces included.</summary>
    public const int MaxTextLength = 256;

    /// <summary>
    /// How each pc.* completion is dressed, as the documentation shows it (spec §2.3, §5): the default is <c>"error":null</c>
    /// without sequence; pc.CreateRoom, pc.DisableRoom and pc.SendMessage carry a sequence and no error; pc.JoinRoom and
    /// pc.GetRoomParticipants carry no state.
    /// </summary>
    private static readonly FrozenDictionary<string, (CompletionStyle Style, bool HasState)> Completions =
        new Dictionary<string, (CompletionStyle, bool)>
        {
            [MethodNames.PcCreateRoom] = (CompletionStyle.Sequenced, true),
            [MethodNames.PcDisableRoom] = (CompletionStyle.Sequenced, true),
            [MethodNames.PcSendMessage] = (CompletionStyle.Sequenced, true),
            [MethodNames.PcJoinRoom] = (CompletionStyle.ErrorNull, false),
            [MethodNames.PcGetRoomParticipants] = (CompletionStyle.ErrorNull, false),
        }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Queues the method's completion in its documented envelope.</summary>
    public static void CompleteRoom(this RpcCall call, BemsData data)
    {
        var (style, hasState) = Completions.GetValueOrDefault(data.Method, (CompletionStyle.ErrorNull, true));
        call.Effects.Send(call.Connection.Outbox, new CompletionFrame(call.Id, hasState ? data with { State = Wire.Complete } : data, style));
    }

    /// <summary>The PROCESSING answer every pc.* method gives (nothing but method and state).</summary>
    public static Reply RoomProcessing(this RpcCall call, string method) => call.Processing(new MethodData(method));

    /// <summary>A room id in the documented <c>ma-chan://host/guid</c> form; anything else is bad input.</summary>
    public static string RoomId(this RpcCall call, string param = "roomId", params ReadOnlySpan<string> aliases)
    {
        var id = call.Params.RequiredString(param, aliases);
        CheckRoomId(call, id, param);
        return id;
    }

    public static void CheckRoomId(RpcCall call, string id, string param)
    {
        var slash = id.StartsWith(RoomService.IdScheme, StringComparison.Ordinal) ? id.LastIndexOf('/') : -1;
        if (slash <= RoomService.IdScheme.Length || !Guid.TryParse(id.AsSpan(slash + 1), out _))
            throw call.Params.Invalid(param, $"'{id}' is not a room id such as ma-chan://gems.example.com/<guid>.");
    }

    /// <summary>A name or description of at most 256 characters.</summary>
    public static string? Text(this RpcCall call, string param, bool required)
    {
        var text = required ? call.Params.RequiredString(param) : call.Params.OptionalString(param);
        if (text is { Length: > MaxTextLength })
            throw new BemsRpcException(ErrorCodes.InvalidParams, $"'{param}' is longer than {MaxTextLength} characters.",
                new ErrorData(call.Method, param, MaxTextLength));
        if (required && text!.Trim().Length == 0) throw call.Params.Invalid(param, $"'{param}' must not be blank.");
        return text;
    }

    public static RoomPrivacy? Privacy(this RpcCall call, string param)
    {
        var text = call.Params.OptionalString(param);
        return text is null ? null : ParsePrivacy(call, text, param);
    }

    public static RoomPrivacy ParsePrivacy(RpcCall call, string text, string param) => text.ToUpperInvariant() switch
    {
        "OPEN" => RoomPrivacy.Open,
        "CLOSED" => RoomPrivacy.Closed,
        "SECRET" => RoomPrivacy.Secret,
        _ => throw call.Params.Invalid(param, $"'{text}' is not a privacy level (Open, Closed or Secret)."),
    };

    /// <summary>Directory users named by an array parameter, as keys (sip: or bare, any case).</summary>
    public static IReadOnlyList<string> Users(this RpcCall call, string param)
    {
        var keys = new List<string>();
        foreach (var raw in call.Params.OptionalStringArray(param) ?? [])
        {
            if (!ContactAddress.TryNormalize(raw, out var key))
                throw call.Params.Invalid(param, $"'{raw}' is not a user id such as sip:alice@example.com.");
            if (call.Tenant.Directory.Find(key) is null)
                throw new BemsRpcException(ErrorCodes.UnknownContact, $"{ContactAddress.ToUri(key)} is not in the directory.", new ErrorData(call.Method, param));
            keys.Add(key);
        }
        return keys;
    }

    public static DirectoryUser Me(this RpcCall call) => call.Session.User;
}
