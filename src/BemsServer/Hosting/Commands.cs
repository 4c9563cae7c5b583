using BemsServer.Diagnostics;

namespace BemsServer.Hosting;

/// <summary>
/// The <c>bems-server</c> command line: a subcommand named by the first argument, or the server itself (every other
/// argument list is the server's configuration, as <c>dotnet run</c> takes it). A new subcommand is one line in
/// <see cref="RunAsync"/>.
/// </summary>
internal static class Commands
{
    public const string DefaultUrl = "http://localhost:8080";
    public static readonly TimeSpan HealthTimeout = TimeSpan.FromSeconds(5);

    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error) => args switch
    {
        ["--version"] => Task.FromResult(PrintVersion(output)),
        ["healthcheck", .. var rest] => HealthCheckAsync(rest, output, error),
        [CertifyCommand.Name, .. var rest] => CertifyCommand.RunAsync(rest, output),
        _ => RunServerAsync(args),
    };

    private static Task<int> RunServerAsync(string[] args)
    {
        InlineIo.PreferForThisProcess();
        return BemsApp.RunAsync(args);
    }

    public static int PrintVersion(TextWriter output)
    {
        output.WriteLine(ServerVersion.Informational);
        return 0;
    }

    /// <summary>
    /// <c>healthcheck [--url http://localhost:8080]</c>: GETs <c>/health/ready</c> under the URL, waits at most
    /// <see cref="HealthTimeout"/>, prints one line and returns 0 when the server answers 200, else 1 (also for bad
    /// arguments: a container health check reads 0 or 1, and Docker reserves 2).
    /// </summary>
    public static async Task<int> HealthCheckAsync(string[] args, TextWriter output, TextWriter error)
    {
        if (ReadUrl(args) is not { } url)
        {
            await error.WriteLineAsync("usage: bems-server healthcheck [--url http://localhost:8080]");
            return 1;
        }
        var ready = new Uri(url, Observability.ReadyPath.TrimStart('/'));
        using var http = new HttpClient { Timeout = HealthTimeout };
        try
        {
            using var response = await http.GetAsync(ready);
            var status = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}".TrimEnd();
            var healthy = response.IsSuccessStatusCode;
            await output.WriteLineAsync($"{(healthy ? "healthy" : "unhealthy")}: {ready} answered {status}");
            return healthy ? 0 : 1;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            var why = ex is TaskCanceledException ? $"no answer within {HealthTimeout.TotalSeconds:0} s" : ex.Message;
            await output.WriteLineAsync($"unhealthy: {ready}: {why}");
            return 1;
        }
    }

    /// <summary>The base URL (with a trailing slash, so a path base is kept), or null when the arguments are not understood.</summary>
    private static Uri? ReadUrl(string[] args)
    {
        var url = args switch
        {
            [] => DefaultUrl,
            ["--url", var given] => given,
            _ => null,
        };
        return url is not null && Uri.TryCreate(url.EndsWith('/') ? url : url + "/", UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) ? uri : null;
    }
}
