using BemsServer.Dispatch;
using BemsServer.Features.Directory;
using BemsServer.Protocol;
using BemsServer.Protocol.Data;
using Microsoft.Extensions.Options;

namespace BemsServer.Features.Sessions;

/// <summary>A verified identity: the user key and the API version its credential implies.</summary>
internal readonly record struct Identity(string UserKey, string ApiVersion);

/// <summary>
/// Stands in for the BlackBerry Proxy's token verification. In open mode a token names its user; in strict mode only the
/// configured tokens are valid. API 2.3 sends gdAuthToken; API 2.2 sends userId with gdToken.
/// </summary>
internal sealed class Authenticator(IOptions<AuthOptions> options)
{
    public const string Api23 = "2.3";
    public const string Api22 = "2.2";

    public Identity Authenticate(Params p, string method)
    {
        var gdAuthToken = p.OptionalString("gdAuthToken");
        if (!string.IsNullOrWhiteSpace(gdAuthToken))
            return new Identity(Verify(gdAuthToken, claimedUser: null, method), Api23);

        var userId = p.OptionalString("userId");
        var gdToken = p.OptionalString("gdToken");
        if (!string.IsNullOrWhiteSpace(userId) && !string.IsNullOrWhiteSpace(gdToken))
            return new Identity(Verify(gdToken, userId, method), Api22);

        throw new BemsRpcException(ErrorCodes.InvalidParams,
            "BeginSession needs gdAuthToken (API 2.3) or userId with gdToken (API 2.2).", new ErrorData(method, "gdAuthToken"));
    }

    /// <summary>Checks a token and returns the user it stands for. With <paramref name="claimedUser"/> (API 2.2) the token must belong to that user.</summary>
    public string Verify(string token, string? claimedUser, string method)
    {
        string? claimedKey = null;
        if (claimedUser is not null && !ContactAddress.TryNormalize(claimedUser, out claimedKey))
            throw Fail(method, $"userId '{claimedUser}' is not a user id such as alice@example.com.");

        if (options.Value.Mode == AuthMode.Strict)
        {
            if (!options.Value.Tokens.TryGetValue(token, out var owner) || !ContactAddress.TryNormalize(owner, out var ownerKey))
                throw Fail(method, "The token is not valid.");
            if (claimedKey is not null && claimedKey != ownerKey)
                throw Fail(method, "The token does not belong to userId.");
            return ownerKey;
        }

        // Open mode: API 2.3 tokens name the user; API 2.2 takes the user from userId and accepts any gdToken.
        if (claimedKey is not null) return claimedKey;
        if (!ContactAddress.TryNormalize(token, out var key))
            throw Fail(method, "In open mode the token must name the user, such as alice@example.com.");
        return key;
    }

    private static BemsRpcException Fail(string method, string message) =>
        new(ErrorCodes.AuthenticationFailed, message, new ErrorData(method));
}
