using System.Text;
using BemsServer.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BemsServer.IntegrationTests.Service;

/// <summary>With <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> set, the server pushes its metrics to that OTLP receiver.</summary>
public sealed class OtlpExportTests
{
    [Fact]
    public async Task OtlpEndpointSet_MetricsArriveAtTheReceiver()
    {
        var received = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var receiverBuilder = WebApplication.CreateSlimBuilder(["--urls", "http://127.0.0.1:0"]);
        receiverBuilder.Logging.ClearProviders();
        await using var receiver = receiverBuilder.Build();
        receiver.MapPost("/v1/metrics", async (HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            var text = Encoding.UTF8.GetString(body.ToArray()); // protobuf keeps names as UTF-8 runs
            if (text.Contains("bems.sessions", StringComparison.Ordinal)) received.TrySetResult(request.ContentType ?? "");
            return Results.Ok();
        });
        await receiver.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
        var endpoint = receiver.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        await using var app = BemsApp.Build([
            "--urls", "http://127.0.0.1:0", "--Serilog:MinimumLevel:Default", "Warning",
            "--OTEL_EXPORTER_OTLP_ENDPOINT", endpoint, "--OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf", "--OTEL_METRIC_EXPORT_INTERVAL", "200"]);
        await app.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));

        (await received.Task.WaitAsync(TimeSpan.FromSeconds(30))).Should().Be("application/x-protobuf");
        await app.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await receiver.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }
}
