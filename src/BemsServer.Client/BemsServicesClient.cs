using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Serialization.Metadata;
using BemsServer.Protocol.Services;

namespace BemsServer.Client;

/// <summary>
/// BEMS's HTTP services beside Connect — Directory Lookup, Presence, Contact and GNP notify — for one user (its GD auth
/// token, sent as <c>X-Good-GD-AuthToken</c>) on one server or tenant (<c>http://host:port/</c> or
/// <c>http://host:port/t/{name}/</c>). A refused request throws <see cref="BemsServiceException"/>.
/// </summary>
public sealed class BemsServicesClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly string _authToken;

    /// <param name="baseAddress">The server's (or a tenant's) HTTP address; a missing trailing slash is added.</param>
    /// <param name="authToken">The GD auth token (in the emulator's open mode, the user's address).</param>
    /// <param name="httpClient">An HttpClient to use (its base address is ignored); one is made and owned when null.</param>
    public BemsServicesClient(Uri baseAddress, string authToken, HttpClient? httpClient = null)
    {
        ArgumentNullException.ThrowIfNull(baseAddress);
        ArgumentException.ThrowIfNullOrWhiteSpace(authToken);
        BaseAddress = baseAddress.AbsoluteUri.EndsWith('/') ? baseAddress : new Uri(baseAddress.AbsoluteUri + "/");
        _authToken = authToken;
        _ownsHttp = httpClient is null;
        _http = httpClient ?? new HttpClient();
    }

    /// <summary>Where the requests go.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Directory Lookup (<c>POST api/lookupuser</c>): each user found, with the requested, known shape names.</summary>
    public async Task<IReadOnlyList<IReadOnlyDictionary<string, string>>> LookupUsersAsync(LookupUserRequest request,
        CancellationToken cancellationToken = default)
    {
        var found = await PostAsync(ServicePaths.LookupUser, request, ServicesJsonContext.Default.LookupUserRequest,
            ServicesJsonContext.Default.ListDictionaryStringString, [], cancellationToken).ConfigureAwait(false);
        return [.. found];
    }

    /// <summary>Subscribes (or replaces) the presence subscription named <paramref name="notify"/>; answers the whole set.</summary>
    /// <param name="notify">The subscription's name (the samples use a UUID).</param>
    /// <param name="contacts">The addresses to watch; none ends the subscription.</param>
    /// <param name="gnpToken">The push token each change is pushed to (<c>X-Good-GNP-Token</c>), if any.</param>
    /// <param name="deviceId">The app's device id (<c>X-Good-DeviceId</c>), if any.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public Task<PresenceSnapshot> SubscribePresenceAsync(string notify, IEnumerable<string> contacts, string? gnpToken = null,
        string? deviceId = null, CancellationToken cancellationToken = default)
    {
        List<(string, string)> headers = [(ServiceHeaders.PresenceVersion, "1.0.0")];
        if (gnpToken is not null) headers.Add((ServiceHeaders.GnpToken, gnpToken));
        if (deviceId is not null) headers.Add((ServiceHeaders.DeviceId, deviceId));
        return PostAsync(ServicePaths.PresenceSubscriptions, new PresenceSubscriptionRequest([.. contacts], notify),
            ServicesJsonContext.Default.PresenceSubscriptionRequest, ServicesJsonContext.Default.PresenceSnapshot, headers, cancellationToken);
    }

    /// <summary>Ends the presence subscription named <paramref name="notify"/> (a POST with no contacts).</summary>
    public Task UnsubscribePresenceAsync(string notify, CancellationToken cancellationToken = default) =>
        SubscribePresenceAsync(notify, [], cancellationToken: cancellationToken);

    /// <summary>Polls a presence subscription: the whole set, or only the contacts changed since <paramref name="sequence"/>; renews it.</summary>
    public async Task<PresenceSnapshot> PollPresenceAsync(string notify, string? sequence = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(notify);
        var path = ServicePaths.PresenceSubscriptions + "/" + Uri.EscapeDataString(notify)
            + (sequence is null ? "" : "?sequence=" + Uri.EscapeDataString(sequence));
        using var request = Request(HttpMethod.Get, path, []);
        return await ReadAsync(request, ServicesJsonContext.Default.PresenceSnapshot, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Contact Service search (<c>POST api/contact</c>): a page of the user's personal contacts.</summary>
    public Task<ContactSearchResult> SearchContactsAsync(ContactSearchRequest request, CancellationToken cancellationToken = default) =>
        PostAsync(ServicePaths.Contact, request, ServicesJsonContext.Default.ContactSearchRequest, ServicesJsonContext.Default.ContactSearchResult,
            [], cancellationToken);

    /// <summary>Creates a personal contact (<c>POST api/contact/create</c>); answers it with its <c>Id</c>.</summary>
    public Task<PersonalContact> CreateContactAsync(PersonalContact contact, CancellationToken cancellationToken = default) =>
        PostAsync(ServicePaths.ContactCreate, contact, ServicesJsonContext.Default.PersonalContact, ServicesJsonContext.Default.PersonalContact,
            [], cancellationToken);

    /// <summary>Changes the members given of the personal contact <c>contact.Id</c> names (<c>POST api/contact/update</c>).</summary>
    public Task<PersonalContact> UpdateContactAsync(PersonalContact contact, CancellationToken cancellationToken = default) =>
        PostAsync(ServicePaths.ContactUpdate, contact, ServicesJsonContext.Default.PersonalContact, ServicesJsonContext.Default.PersonalContact,
            [], cancellationToken);

    /// <summary>
    /// An app server's GNP notify (<c>POST GNP1.0?method=notify</c>): true when the server took it (<c>100 OK</c>), false
    /// for a token it does not know (<c>402 Invalid Token</c>).
    /// </summary>
    public async Task<bool> NotifyAsync(string gnpToken, string message, CancellationToken cancellationToken = default)
    {
        using var request = Request(HttpMethod.Post, ServicePaths.Gnp + "?method=notify", [(ServiceHeaders.GnpToken, gnpToken)]);
        request.Content = new StringContent(message, Encoding.UTF8, "text/plain");
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        return response.Headers.TryGetValues(ServiceHeaders.GnpCode, out var codes) && codes.FirstOrDefault() == ServiceCodes.Ok;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsHttp) _http.Dispose();
    }

    private async Task<TAnswer> PostAsync<TBody, TAnswer>(string path, TBody body, JsonTypeInfo<TBody> bodyInfo, JsonTypeInfo<TAnswer> answerInfo,
        IEnumerable<(string, string)> headers, CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Post, path, headers);
        request.Content = JsonContent.Create(body, bodyInfo);
        return await ReadAsync(request, answerInfo, cancellationToken).ConfigureAwait(false);
    }

    private HttpRequestMessage Request(HttpMethod method, string path, IEnumerable<(string Name, string Value)> headers)
    {
        var request = new HttpRequestMessage(method, new Uri(BaseAddress, path.TrimStart('/')));
        request.Headers.TryAddWithoutValidation(ServiceHeaders.AuthToken, _authToken);
        request.Headers.Accept.ParseAdd("application/json");
        foreach (var (name, value) in headers) request.Headers.TryAddWithoutValidation(name, value);
        return request;
    }

    private async Task<T> ReadAsync<T>(HttpRequestMessage request, JsonTypeInfo<T> info, CancellationToken cancellationToken)
    {
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadFromJsonAsync(info, cancellationToken).ConfigureAwait(false)
            ?? throw new BemsServiceException(response.StatusCode, "The answer's body is null.");
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.StatusCode == HttpStatusCode.OK) return;
        throw new BemsServiceException(response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
    }
}
