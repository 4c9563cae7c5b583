using System.Net;
using System.Net.Http.Headers;
using System.Text;
using BemsServer.Client;

namespace BemsServer.IntegrationTests.BemsServices;

/// <summary>An HTTP answer read whole: status, headers and body text.</summary>
public sealed record ServiceAnswer(HttpStatusCode Status, HttpResponseHeaders Headers, string ContentType, string Body)
{
    public string? Header(string name) => Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;
}

/// <summary>
/// The BEMS services over real HTTP on one tenant (<c>/t/{tenant}/…</c>, or the root for the default one): requests
/// built from exact bytes and headers, answers read whole, every call bounded.
/// </summary>
public sealed class ServiceHttp(BemsHost host, string? tenant) : IDisposable
{
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    private readonly HttpClient _http = new() { BaseAddress = host.BaseAddress, Timeout = Bound };

    public string Path(string route) => (tenant is null ? "" : $"/t/{tenant}") + route;

    /// <summary>POSTs the body bytes as they are, with the given content type and headers.</summary>
    public Task<ServiceAnswer> PostAsync(string route, string body, IEnumerable<(string Name, string Value)> headers,
        string contentType = "application/json") => SendAsync(HttpMethod.Post, route, Encoding.UTF8.GetBytes(body), contentType, headers);

    public Task<ServiceAnswer> GetAsync(string route, IEnumerable<(string Name, string Value)> headers) =>
        SendAsync(HttpMethod.Get, route, null, null, headers);

    /// <summary>Sends the request; <paramref name="chunked"/> sends the body without a Content-Length, as it arrives.</summary>
    public async Task<ServiceAnswer> SendAsync(HttpMethod method, string route, byte[]? body, string? contentType,
        IEnumerable<(string Name, string Value)> headers, bool chunked = false)
    {
        using var request = new HttpRequestMessage(method, Path(route));
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType!);
            request.Headers.TransferEncodingChunked = chunked;
        }
        foreach (var (name, value) in headers) request.Headers.TryAddWithoutValidation(name, value);
        using var timeout = new CancellationTokenSource(Bound);
        using var response = await _http.SendAsync(request, timeout.Token);
        var text = await response.Content.ReadAsStringAsync(timeout.Token);
        return new ServiceAnswer(response.StatusCode, response.Headers, response.Content.Headers.ContentType?.ToString() ?? "", text);
    }

    /// <summary>The headers every JSON service request of the samples carries.</summary>
    public static (string, string)[] Json(string authToken, params (string, string)[] more) =>
        [("X-Good-GD-AuthToken", authToken), ("Accept", "application/json"), .. more];

    /// <summary>Follows a token's live push channel on this tenant with the shipped client's <see cref="BemsPushChannel"/> (read it with <see cref="Bound"/>).</summary>
    public async Task<BemsPushChannel> FollowAsync(string token)
    {
        using var timeout = new CancellationTokenSource(Bound);
        return await BemsPushChannel.ConnectAsync(new Uri(host.BaseAddress, Path("/")), token, timeout.Token);
    }

    public void Dispose() => _http.Dispose();
}
