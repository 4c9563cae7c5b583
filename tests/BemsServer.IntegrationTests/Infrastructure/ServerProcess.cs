using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using BemsServer.Hosting;

namespace BemsServer.IntegrationTests.Infrastructure;

/// <summary>
/// The server as a user runs it: <c>dotnet BemsServer.dll</c> in its own process, in an empty working directory (no
/// appsettings.json beside it, so the defaults in code are what it runs with), its output collected line by line.
/// </summary>
public sealed partial class ServerProcess : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Lock _gate = new();
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Found)> _waiters = [];
    private readonly string _directory;

    private ServerProcess(string directory, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment)
    {
        _directory = directory;
        // The SDK that runs the tests names its dotnet host; "dotnet" on the PATH otherwise.
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(ServerDll);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => Received(e.Data);
        _process.ErrorDataReceived += (_, e) => Received(e.Data);
    }

    /// <summary>The server's assembly beside the tests (the referenced project's output, with its runtimeconfig).</summary>
    public static string ServerDll => typeof(BemsApp).Assembly.Location;

    /// <summary>Everything written to stdout and stderr so far.</summary>
    public string Output
    {
        get
        {
            lock (_gate) return _output.ToString();
        }
    }

    /// <summary>
    /// Starts the server with <paramref name="args"/> in a fresh working directory (files to place there are copied in), with
    /// <paramref name="environment"/> added to the one it inherits.
    /// </summary>
    public static ServerProcess Start(IEnumerable<string> args, IReadOnlyDictionary<string, string>? files = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var directory = Directory.CreateTempSubdirectory("bems-process-").FullName;
        foreach (var (name, text) in files ?? new Dictionary<string, string>()) File.WriteAllText(Path.Combine(directory, name), text);
        var server = new ServerProcess(directory, args, environment);
        server._process.Start();
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();
        return server;
    }

    /// <summary>Waits for the ready line and returns the server's base HTTP address, read from it.</summary>
    public async Task<Uri> WaitUntilReadyAsync()
    {
        var line = await WaitForLineAsync(static l => l.Contains("BemsServer ready:", StringComparison.Ordinal));
        var admin = AdminUrl().Match(line);
        admin.Success.Should().BeTrue(line);
        return new Uri(new Uri(admin.Groups["url"].Value), "/");
    }

    public Task<string> WaitForLineAsync(Func<string, bool> match)
    {
        var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            foreach (var line in _output.ToString().Split('\n'))
                if (match(line)) return Task.FromResult(line);
            _waiters.Add((match, found));
        }
        return found.Task.WaitAsync(Timeout);
    }

    /// <summary>Waits for the process to end by itself and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync()
    {
        await _process.WaitForExitAsync().WaitAsync(Timeout);
        _process.WaitForExit(); // drains the redirected output
        return _process.ExitCode;
    }

    private void Received(string? line)
    {
        if (line is null) return;
        lock (_gate)
        {
            _output.Append(line).Append('\n');
            foreach (var waiter in _waiters.Where(w => w.Match(line)).ToList())
            {
                waiter.Found.TrySetResult(line);
                _waiters.Remove(waiter);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(Timeout);
        }
        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [GeneratedRegex(@"admin API (?<url>\S+)")]
    private static partial Regex AdminUrl();
}
