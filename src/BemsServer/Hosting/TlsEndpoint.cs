namespace BemsServer.Hosting;

/// <summary>
/// <c>wss://</c> as BEMS-Connect serves it, on port 8082: on only when a certificate is configured with Kestrel's
/// standard setting <c>Kestrel:Certificates:Default</c> (Path and Password, or Subject and Store), so a plain
/// <c>dotnet run</c> never fails for want of one. <c>Bems:Tls:Url</c> moves it (default <c>https://localhost:8082</c>;
/// empty turns it off). Whoever configures <c>Kestrel:Endpoints</c> chooses every endpoint there instead.
/// </summary>
internal static class TlsEndpoint
{
    public const string UrlKey = "Bems:Tls:Url";
    public const string DefaultUrl = "https://localhost:8082";

    public static WebApplicationBuilder AddBemsTls(this WebApplicationBuilder builder)
    {
        var config = builder.Configuration;
        var certificate = config.GetSection("Kestrel:Certificates:Default");
        var configured = !string.IsNullOrEmpty(certificate["Path"]) || !string.IsNullOrEmpty(certificate["Subject"]);
        if (!configured || config.GetSection("Kestrel:Endpoints").Exists()) return builder;
        var tls = config[UrlKey] ?? DefaultUrl;
        var urls = config[WebHostDefaults.ServerUrlsKey];
        if (string.IsNullOrEmpty(tls) || urls?.Contains("https://", StringComparison.OrdinalIgnoreCase) == true) return builder;
        builder.WebHost.UseUrls(string.IsNullOrEmpty(urls) ? tls : $"{urls};{tls}");
        return builder;
    }
}
