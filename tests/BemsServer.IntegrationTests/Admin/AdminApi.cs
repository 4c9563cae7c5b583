using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BemsServer.IntegrationTests.Infrastructure;

namespace BemsServer.IntegrationTests.Admin;

/// <summary>The admin API over real HTTP, scoped to one tenant (<c>/admin/t/{tenant}/…</c>) or to the process (<c>/admin/…</c>).</summary>
public sealed class AdminApi : IDisposable
{
    private readonly HttpClient _http;
    private readonly string _prefix;

    public AdminApi(Uri baseAddress, string? tenant = null)
    {
        _http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        _prefix = tenant is null ? "admin/" : $"admin/t/{tenant}/";
    }

    public static AdminApi For(BemsHost host, string? tenant = null) => new(host.BaseAddress, tenant);

    public HttpClient Http => _http;

    /// <summary>admin/ or admin/t/{tenant}/.</summary>
    public string Prefix => _prefix;

    public async Task<JsonNode> GetAsync(string path) => await ReadAsync(await _http.GetAsync(_prefix + path), HttpStatusCode.OK);

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, _prefix + path);
        if (body is not null) request.Content = JsonContent.Create(body);
        return await _http.SendAsync(request);
    }

    public async Task<JsonNode> PostAsync(string path, object body, HttpStatusCode expected = HttpStatusCode.OK) =>
        await ReadAsync(await SendAsync(HttpMethod.Post, path, body), expected);

    public async Task DeleteAsync(string path)
    {
        using var response = await SendAsync(HttpMethod.Delete, path);
        response.StatusCode.Should().Be(HttpStatusCode.NoContent, await response.Content.ReadAsStringAsync());
    }

    public async Task<JsonNode> AddFaultAsync(object rule) => await PostAsync("faults", rule, HttpStatusCode.Created);

    private static async Task<JsonNode> ReadAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync();
            response.StatusCode.Should().Be(expected, text);
            return JsonNode.Parse(text)!;
        }
    }

    public void Dispose() => _http.Dispose();
}
