using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace BemsServer.Testing;

/// <summary>A control-plane call the server refused: its HTTP status and its problem text.</summary>
public sealed class BemsAdminException(HttpStatusCode status, string detail)
    : Exception($"The admin API answered {(int)status} {status}: {detail}")
{
    /// <summary>The HTTP status.</summary>
    public HttpStatusCode Status { get; } = status;

    /// <summary>The answer's body (a problem+json document, usually).</summary>
    public string Detail { get; } = detail;
}

/// <summary>The /admin HTTP routes, with the server's own JSON conventions (camelCase, enums as camelCase strings).</summary>
internal sealed class AdminHttp : IDisposable
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    // A journal wait may last up to five minutes on the server side.
    private readonly HttpClient _http;

    public AdminHttp(Uri baseAddress) => _http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(6) };

    public async Task<T> GetAsync<T>(string path, CancellationToken cancellationToken) =>
        await ReadAsync<T>(await _http.GetAsync(path, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    public async Task<T> PostAsync<T>(string path, object? body, CancellationToken cancellationToken) =>
        await ReadAsync<T>(await _http.PostAsJsonAsync(path, body, Json, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    public async Task<T> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body, options: Json) };
        return await ReadAsync<T>(await _http.SendAsync(request, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A call answered with no body (204).</summary>
    public async Task SendAsync(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body, options: Json) };
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => _http.Dispose();

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        using (response)
        {
            await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
            return await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken).ConfigureAwait(false)
                ?? throw new JsonException($"{response.RequestMessage?.RequestUri} answered no content.");
        }
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode) return;
        var detail = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.RequestTimeout) throw new TimeoutException(detail);
        throw new BemsAdminException(response.StatusCode, detail);
    }
}
