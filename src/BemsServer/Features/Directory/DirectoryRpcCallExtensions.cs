using BemsServer.Dispatch;
using BemsServer.Protocol;
using BemsServer.Protocol.Data;

namespace BemsServer.Features.Directory;

/// <summary>Parameter checks shared by the contact, presence, directory and file-transfer methods.</summary>
internal static class DirectoryRpcCallExtensions
{
    /// <summary>The directory user a contact parameter names; <paramref name="allowSelf"/> for lookups that may name the caller.</summary>
    public static DirectoryUser Contact(this RpcCall call, string param = "contactId", bool allowSelf = false) =>
        call.ContactFrom(call.Params.RequiredString(param), param, allowSelf);

    /// <summary>Every directory user a contact-array parameter names (a single string counts as a one-element list).</summary>
    public static List<DirectoryUser> Contacts(this RpcCall call, string param = "contactIds") =>
        [.. call.Params.RequiredStrings(param).Select(raw => call.ContactFrom(raw, param, allowSelf: true))];

    private static DirectoryUser ContactFrom(this RpcCall call, string raw, string param, bool allowSelf)
    {
        if (!ContactAddress.TryNormalize(raw, out var key))
            throw call.Params.Invalid(param, $"'{raw}' is not a contact id such as sip:alice@example.com.");
        if (!allowSelf && key == call.Session.User.Key)
            throw new BemsRpcException(ErrorCodes.UnknownContact, $"{call.Method} needs another user than yourself.", new ErrorData(call.Method, param));
        return call.Tenant.Directory.Find(key)
            ?? throw new BemsRpcException(ErrorCodes.UnknownContact, $"{ContactAddress.ToUri(key)} is not in the directory.", new ErrorData(call.Method, param));
    }
}
