using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using BemsServer.IntegrationTests.Infrastructure;

namespace BemsServer.IntegrationTests.Service;

/// <summary>The server process as a service manager and a monitoring system see it: the ready line, health, metrics.</summary>
public sealed partial class RunAsServiceTests(ServerProcessFixture fixture) : IClassFixture<ServerProcessFixture>
{
    private readonly HttpClient _http = new() { BaseAddress = fixture.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    [Fact]
    public void Start_PrintsOneReadyLine_WithTheWebSocketAdminAndConsoleUrls()
    {
        var authority = fixture.BaseAddress.Authority;
        var lines = fixture.Server.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        lines.Where(static l => l.Contains("ready", StringComparison.OrdinalIgnoreCase)).Should().ContainSingle()
            .Which.Should().EndWith($"BemsServer ready: WebSocket ws://{authority}/  admin API http://{authority}/admin/  console http://{authority}/console/");
        lines.Should().NotContain(static l => l.Contains("Now listening on", StringComparison.Ordinal), "Kestrel's Information lines stay quiet");
    }

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task Health_OnAReadyServer_Answers200Healthy(string path)
    {
        using var response = await _http.GetAsync(new Uri(path, UriKind.Relative)).WaitAsync(ServerProcess.Timeout);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Be("Healthy");
    }

    [Fact]
    public async Task Admin_WithoutTheSlash_ShowsTheReferencePage()
    {
        using var response = await _http.GetAsync(new Uri("/admin", UriKind.Relative)).WaitAsync(ServerProcess.Timeout);

        response.RequestMessage!.RequestUri!.AbsolutePath.Should().Be("/admin/");
        (await response.Content.ReadAsStringAsync()).Should().Contain("fetch('openapi/v1.json'");
    }

    [Fact]
    public async Task Metrics_AfterEachSendMessageOutcome_ListEveryInstrumentWithPlausibleValues()
    {
        var tenant = "metrics" + Guid.NewGuid().ToString("N")[..8];
        await using var alice = await WireClient.ConnectAsync(fixture.WebSocketUri(tenant));
        await alice.CallAsync("BeginSession", new { gdAuthToken = "alice@example.com" });
        await SendAsync(alice, "echo@example.com", "COMPLETE");      // delivered
        await SendAsync(alice, "decline@example.com", "MessageUpdate"); // declined
        await SendAsync(alice, "bob@example.com", "MessageUpdate");     // timed out: nobody signed in as bob
        using (var admin = new HttpClient { BaseAddress = fixture.BaseAddress, Timeout = TimeSpan.FromSeconds(30) })
        using (var rule = await admin.PostAsync(new Uri($"/admin/t/{tenant}/faults", UriKind.Relative),
            new StringContent("""{"method":"Ping","action":"error","errorCode":-32050,"errorMessage":"down"}""", System.Text.Encoding.UTF8, "application/json")))
            rule.StatusCode.Should().Be(HttpStatusCode.Created);
        var ping = await alice.RequestAsync("Ping");
        ping.Json["error"]!["code"]!.GetValue<int>().Should().Be(-32050);

        var metrics = Parse(await _http.GetStringAsync(new Uri("/metrics", UriKind.Relative)).WaitAsync(ServerProcess.Timeout));

        metrics.Should().ContainKey("bemsserver_bems_sessions").WhoseValue.Should().BeGreaterThanOrEqualTo(1);
        metrics.Should().ContainKey("bemsserver_bems_connections").WhoseValue.Should().BeGreaterThanOrEqualTo(1);
        metrics.Should().ContainKey("""bemsserver_bems_requests{method="SendMessage",outcome="ok"}""").WhoseValue.Should().BeGreaterThanOrEqualTo(3);
        metrics.Should().ContainKey("""bemsserver_bems_requests{method="Ping",outcome="error"}""").WhoseValue.Should().BeGreaterThanOrEqualTo(1);
        metrics.Should().ContainKey("""bemsserver_bems_request_duration_count{method="SendMessage"}""").WhoseValue.Should().BeGreaterThanOrEqualTo(3);
        metrics.Should().ContainKey("""bemsserver_bems_request_duration_bucket{method="SendMessage",le="+Inf"}""").WhoseValue.Should().BeGreaterThanOrEqualTo(3);
        metrics.Should().ContainKey("""bemsserver_bems_request_duration_sum{method="SendMessage"}""").WhoseValue.Should().BePositive().And.BeLessThan(60);
        metrics.Should().ContainKey("""bemsserver_bems_send_message_outcomes{outcome="delivered"}""").WhoseValue.Should().BeGreaterThanOrEqualTo(1);
        metrics.Should().ContainKey("""bemsserver_bems_send_message_outcomes{outcome="declined"}""").WhoseValue.Should().BeGreaterThanOrEqualTo(1);
        metrics.Should().ContainKey("""bemsserver_bems_send_message_outcomes{outcome="timed_out"}""").WhoseValue.Should().BeGreaterThanOrEqualTo(1);
        metrics.Should().ContainKey("""bemsserver_bems_frames{direction="in"}""").WhoseValue.Should().BeGreaterThanOrEqualTo(5);
        metrics.Should().ContainKey("""bemsserver_bems_frames{direction="out"}""").WhoseValue.Should().BeGreaterThanOrEqualTo(10);
        metrics.Should().ContainKey("""bemsserver_bems_frame_bytes{direction="in"}""").WhoseValue.Should().BeGreaterThan(5 * 50);
        metrics.Should().ContainKey("""bemsserver_bems_frame_bytes{direction="out"}""").WhoseValue.Should().BeGreaterThan(10 * 50);
        metrics.Should().ContainKey("bemsserver_bems_frames_queued").WhoseValue.Should().BeGreaterThanOrEqualTo(0);
        metrics.Should().ContainKey("""bemsserver_bems_fault_firings{action="Error"}""").WhoseValue.Should().BeGreaterThanOrEqualTo(1);
        metrics.Keys.Should().Contain(static k => k.StartsWith("microsoft_aspnetcore_server_kestrel_kestrel_active_connections", StringComparison.Ordinal), "Kestrel's meter is exported");
        metrics.Keys.Should().NotContain(static k => k.StartsWith("microsoft_aspnetcore_server_kestrel_kestrel_connection_duration", StringComparison.Ordinal),
            "listened to, it makes Kestrel keep a tag list for every open connection");
        metrics.Keys.Should().Contain(static k => k.StartsWith("system_runtime_dotnet_gc_collections", StringComparison.Ordinal), "the runtime's meter is exported");
    }

    private static async Task SendAsync(WireClient client, string to, string expected)
    {
        var id = await client.SendAsync("SendMessage", new { contactId = to, message = "hi", messageId = "m-" + to });
        await client.WaitForAsync(f => f.Id == id && f.State == "PROCESSING", "PROCESSING");
        await client.WaitForAsync(f => expected == "COMPLETE" ? f.Id == id && f.State == "COMPLETE" : f.Method == "MessageUpdate", expected);
    }

    /// <summary>Prometheus text: series (name and labels) → value.</summary>
    private static Dictionary<string, double> Parse(string text)
    {
        var series = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (Match line in Sample().Matches(text))
        {
            var labels = line.Groups["labels"].Value;
            var key = line.Groups["name"].Value + (labels.Length > 0 ? "{" + labels + "}" : "");
            series[key] = double.Parse(line.Groups["value"].Value, CultureInfo.InvariantCulture);
        }
        return series;
    }

    [GeneratedRegex(@"^(?<name>[a-z_]+)(\{(?<labels>[^}]*)\})? (?<value>\S+)", RegexOptions.Multiline)]
    private static partial Regex Sample();
}
