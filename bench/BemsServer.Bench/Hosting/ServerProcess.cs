using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace BemsServer.Bench.Hosting;

internal enum TargetKind
{
    R1,
    Bems,
}

/// <summary>Process totals of a server; deltas of two samples give per-phase figures.</summary>
internal readonly record struct ProcessSample(
    long Timestamp,
    double CpuMs,
    long WorkingSetBytes,
    long? AllocatedBytes,
    long? GcHeapBytes,
    long? Sessions,
    long? JitCompiledMethods = null,
    long? Gen1Collections = null);

/// <summary>A server under test, started as a child process on a free loopback port.</summary>
internal sealed class ServerProcess : IDisposable
{
    private readonly ConcurrentQueue<string> _output = new();
    private readonly HttpClient _http;
    private bool _adminRoute = true;

    private ServerProcess(TargetKind kind, int port, Process process, long startTimestamp, HttpClient http)
    {
        Kind = kind;
        Port = port;
        Process = process;
        StartTimestamp = startTimestamp;
        _http = http;
    }

    public TargetKind Kind { get; }

    public int Port { get; }

    public Process Process { get; }

    /// <summary><see cref="Stopwatch"/> timestamp taken just before the process was started.</summary>
    public long StartTimestamp { get; }

    /// <summary>WebSocket address of a tenant (BemsServer: "/t/{tenant}/"; R1 echoes on any path).</summary>
    public Uri TenantUri(string tenant) => new($"ws://127.0.0.1:{Port}/t/{tenant}/");

    /// <summary>False once the diagnostics route answered with something other than success or JSON.</summary>
    public bool HasAdminRoute => _adminRoute;

    /// <summary>The run's pinning, applied to every server process started (null: none).</summary>
    public static Pinning? Pinned { get; set; }

    /// <param name="bemsEnvironment">Extra environment variables for BemsServer (not for R1, the fixed limit).</param>
    public static ServerProcess Start(TargetKind kind, Locations locations, HttpClient http, IEnumerable<KeyValuePair<string, string>> bemsEnvironment)
    {
        var port = FreePort();
        var psi = new ProcessStartInfo(locations.DotnetHost)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
        };
        Client.ClientRuntime.ForServer(psi.Environment);
        if (kind == TargetKind.Bems)
        {
            psi.WorkingDirectory = Path.GetDirectoryName(locations.ServerDll)!;
            psi.ArgumentList.Add(locations.ServerDll);
            psi.ArgumentList.Add("--urls");
            psi.ArgumentList.Add($"http://127.0.0.1:{port}");
            psi.ArgumentList.Add("--Serilog:MinimumLevel:Default=Warning");
            foreach (var (name, value) in bemsEnvironment)
            {
                psi.Environment[name] = value;
            }
        }
        else
        {
            psi.WorkingDirectory = AppContext.BaseDirectory;
            psi.ArgumentList.Add(locations.BenchDll);
            psi.ArgumentList.Add("--r1-server");
            psi.ArgumentList.Add("--port");
            psi.ArgumentList.Add(port.ToString(CultureInfo.InvariantCulture));
            psi.ArgumentList.Add("--parent-pid");
            psi.ArgumentList.Add(Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        }

        Pinned?.Wrap(psi);
        var start = Stopwatch.GetTimestamp();
        var process = Process.Start(psi) ?? throw new InvalidOperationException("Could not start " + kind);
        var server = new ServerProcess(kind, port, process, start, http);
        process.OutputDataReceived += (_, e) => server.Remember(e.Data);
        process.ErrorDataReceived += (_, e) => server.Remember(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    private void Remember(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > 40 && _output.TryDequeue(out _))
        {
        }
    }

    /// <summary>The last lines the server printed (for failure messages).</summary>
    public string RecentOutput() => string.Join(Environment.NewLine, _output);

    public bool HasExited
    {
        get
        {
            try
            {
                return Process.HasExited;
            }
            catch (InvalidOperationException)
            {
                return true;
            }
        }
    }

    /// <summary>
    /// Process totals: from the server's own GET /admin/process when it has one (R1 has
    /// the same route), else CPU and working set from /proc through <see cref="Process"/>.
    /// </summary>
    public async Task<ProcessSample> SampleAsync()
    {
        if (_adminRoute)
        {
            try
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                using var response = await _http.GetAsync(new Uri($"http://127.0.0.1:{Port}/admin/process"), cts.Token);
                if (response.IsSuccessStatusCode)
                {
                    var body = await response.Content.ReadAsByteArrayAsync(cts.Token);
                    var now = Stopwatch.GetTimestamp();
                    using var doc = JsonDocument.Parse(body);
                    var root = doc.RootElement;
                    var fromProc = SampleFromProc();
                    return new ProcessSample(
                        now,
                        Number(root, "cpuTimeMs") ?? fromProc.CpuMs,
                        (long?)Number(root, "workingSetBytes") ?? fromProc.WorkingSetBytes,
                        (long?)Number(root, "allocatedBytes"),
                        (long?)Number(root, "gcHeapBytes"),
                        (long?)Number(root, "sessions"),
                        (long?)Number(root, "jitCompiledMethods"),
                        (long?)Number(root, "gen1Collections"));
                }

                _adminRoute = false;
            }
            catch (JsonException)
            {
                _adminRoute = false;
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
            {
                // A busy machine, not a missing route: this one sample comes from /proc, the next tries again.
            }
        }

        return SampleFromProc();
    }

    private ProcessSample SampleFromProc()
    {
        Process.Refresh();
        return new ProcessSample(
            Stopwatch.GetTimestamp(),
            Process.TotalProcessorTime.TotalMilliseconds,
            Process.WorkingSet64,
            null,
            null,
            null);
    }

    private static double? Number(JsonElement root, string name) =>
        root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        try
        {
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
                Process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
        }

        Process.Dispose();
    }
}
