using BemsServer.Client;
using BemsServer.Protocol.Services;

namespace BemsServer.Testing;

public sealed partial class BemsTenant
{
    /// <summary>Where this tenant's BEMS services answer (lookup, presence, contact, GNP): <c>http://127.0.0.1:{port}/t/{name}/</c>.</summary>
    public Uri ServicesUri { get; }

    /// <summary>A client of this tenant's BEMS services acting as the user the token names (in open mode, the user's address).</summary>
    public BemsServicesClient CreateServicesClient(string authToken) => new(ServicesUri, authToken);

    /// <summary>Follows a GNP token's pushes live (<c>/gnp/channel?token=</c>): each push's text, in order.</summary>
    public Task<BemsPushChannel> FollowPushesAsync(string gnpToken, CancellationToken cancellationToken = default) =>
        BemsPushChannel.ConnectAsync(ServicesUri, gnpToken, cancellationToken);

    /// <summary>The tenant's push log (<c>GET pushes</c>), oldest first, whatever the source; optionally one user's only.</summary>
    public async Task<IReadOnlyList<PushEntry>> GetPushesAsync(string? user = null, CancellationToken cancellationToken = default) =>
        await _admin.GetAsync<List<PushEntry>>(_prefix + "pushes" + (user is null ? "" : "?user=" + Uri.EscapeDataString(user)), cancellationToken)
            .ConfigureAwait(false);

    /// <summary>Makes a GNP token known to the tenant (<c>POST pushes/tokens</c>), optionally as a user's, as if a client presented it.</summary>
    public Task AddPushTokenAsync(string gnpToken, string? userId = null, CancellationToken cancellationToken = default) =>
        _admin.SendAsync(HttpMethod.Post, _prefix + "pushes/tokens", new { token = gnpToken, userId }, cancellationToken);
}
