using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.WebSockets;
using System.Text;

namespace BemsServer.Bench.Hosting;

/// <summary>
/// R1, the limit: a bare Kestrel WebSocket server that echoes every frame back on any
/// path, plus the same GET /admin/process diagnostics route as BemsServer. No JSON
/// parsing, no routing, no logging: what is left is the transport's own cost.
/// </summary>
internal static class R1EchoServer
{
    private const int BufferSize = 1024;

    public static int Run(int port, int? parentPid)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(o => o.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.Zero });
        app.Run(HandleAsync);

        if (parentPid is { } pid)
        {
            WatchParent(pid, app.Lifetime);
        }

        app.Run();
        return 0;
    }

    private static async Task HandleAsync(HttpContext context)
    {
        if (context.WebSockets.IsWebSocketRequest)
        {
            using var ws = await context.WebSockets.AcceptWebSocketAsync();
            await EchoAsync(ws);
        }
        else if (context.Request.Path == "/admin/process")
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(ProcessJson());
        }
        else
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
        }
    }

    /// <summary>Echoes each frame fragment by fragment, so one small buffer per connection suffices.</summary>
    private static async Task EchoAsync(WebSocket ws)
    {
        var buffer = new byte[BufferSize];
        try
        {
            while (true)
            {
                var result = await ws.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                    return;
                }

                await ws.SendAsync(buffer.AsMemory(0, result.Count), result.MessageType, result.EndOfMessage, CancellationToken.None);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away.
        }
    }

    private static string ProcessJson()
    {
        var sb = new StringBuilder(160);
        sb.Append(CultureInfo.InvariantCulture, $"{{\"cpuTimeMs\":{Environment.CpuUsage.TotalTime.TotalMilliseconds:F3}");
        sb.Append(CultureInfo.InvariantCulture, $",\"allocatedBytes\":{GC.GetTotalAllocatedBytes(precise: false)}");
        sb.Append(CultureInfo.InvariantCulture, $",\"workingSetBytes\":{Environment.WorkingSet}");
        sb.Append(CultureInfo.InvariantCulture, $",\"gcHeapBytes\":{GC.GetGCMemoryInfo().HeapSizeBytes}");
        sb.Append(CultureInfo.InvariantCulture, $",\"jitCompiledMethods\":{System.Runtime.JitInfo.GetCompiledMethodCount(currentThread: false)}");
        sb.Append(CultureInfo.InvariantCulture, $",\"gen1Collections\":{GC.CollectionCount(1)}");
        sb.Append(",\"sessions\":null}");
        return sb.ToString();
    }

    /// <summary>Stops the server when the bench that started it is gone (no orphans after a crash).</summary>
    private static void WatchParent(int pid, IHostApplicationLifetime lifetime)
    {
        var thread = new Thread(() =>
        {
            while (!lifetime.ApplicationStopping.IsCancellationRequested)
            {
                if (!ParentProcess.IsAlive(pid))
                {
                    lifetime.StopApplication();
                    return;
                }

                Thread.Sleep(1000);
            }
        })
        { IsBackground = true, Name = "parent watch" };
        thread.Start();
    }
}
