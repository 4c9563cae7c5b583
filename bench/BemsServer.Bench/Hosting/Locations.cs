using System.Runtime.InteropServices;

namespace BemsServer.Bench.Hosting;

/// <summary>Where the dotnet host, this bench and the server under test live.</summary>
internal sealed record Locations(string DotnetHost, string BenchDll, string ServerDll, string? RepositoryRoot)
{
    public static Locations Find(string? serverDllOverride)
    {
        var benchDll = typeof(Locations).Assembly.Location;
        var root = FindRepositoryRoot();
        var serverDll = serverDllOverride is not null
            ? Path.GetFullPath(serverDllOverride, InvocationDirectory())
            : DefaultServerDll(root);
        return new Locations(FindDotnetHost(), benchDll, serverDll, root);
    }

    /// <summary>
    /// The server as the <c>bems-server</c> tool ships it: <c>dotnet publish</c> of src/BemsServer for this machine's
    /// platform, framework-dependent and ReadyToRun, which is what the tool's package for the platform holds (the tool
    /// package is made from the same publish). Null, with the reason logged, when it cannot be published.
    /// </summary>
    public async Task<Locations?> PublishToolBuildAsync(string outDir, Action<string> log)
    {
        if (RepositoryRoot is not { } root || !File.Exists(Path.Combine(root, "src", "BemsServer", "BemsServer.csproj")))
        {
            log("the tool's build cannot be published: no src/BemsServer here; pass --server-dll or --plain-build");
            return null;
        }

        var target = Path.Combine(outDir, "server");
        var rid = RuntimeInformation.RuntimeIdentifier;
        var psi = new System.Diagnostics.ProcessStartInfo(DotnetHost) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in (string[])["publish", Path.Combine(root, "src", "BemsServer", "BemsServer.csproj"), "-c", "Release", "-r", rid,
                     "--self-contained", "false", "-p:PublishReadyToRun=true", "-o", target, "-nologo", "-v", "q"])
        {
            psi.ArgumentList.Add(arg);
        }

        log($"publishing the tool's build (ReadyToRun, {rid}) into {target}");
        using var publish = System.Diagnostics.Process.Start(psi)!;
        var output = publish.StandardOutput.ReadToEndAsync();
        var errors = publish.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        try
        {
            await publish.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            publish.Kill(entireProcessTree: true);
            log("dotnet publish took more than 10 minutes; stopped it");
            return null;
        }

        var dll = Path.Combine(target, "BemsServer.dll");
        if (publish.ExitCode != 0 || !File.Exists(dll))
        {
            log($"dotnet publish failed (exit {publish.ExitCode}):{Environment.NewLine}{await output}{await errors}");
            return null;
        }

        return this with { ServerDll = dll };
    }

    /// <summary>
    /// The directory the bench was invoked from. `dotnet run --project` starts the program in
    /// the project's folder, so the shell's PWD (inherited) is preferred to the current directory.
    /// </summary>
    public static string InvocationDirectory()
    {
        var pwd = Environment.GetEnvironmentVariable("PWD");
        return pwd is not null && Path.IsPathFullyQualified(pwd) && Directory.Exists(pwd) ? pwd : Environment.CurrentDirectory;
    }

    /// <summary>Default output folder: bench-results/&lt;timestamp&gt;/ at the repository root (git-ignored).</summary>
    public string DefaultOutputDirectory(DateTimeOffset started) =>
        Path.Combine(RepositoryRoot ?? InvocationDirectory(), "bench-results", started.ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>The repository the bench was built in: the first folder above its output with src/BemsServer or .git.</summary>
    private static string? FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "src", "BemsServer", "BemsServer.csproj"))
                || Path.Exists(Path.Combine(dir.FullName, ".git")))
            {
                return dir.FullName;
            }
        }

        return null;
    }

    /// <summary>
    /// src/BemsServer/bin/&lt;same configuration as the bench&gt;/net10.0/BemsServer.dll in the
    /// repository the bench was built in.
    /// </summary>
    private static string DefaultServerDll(string? root)
    {
#if DEBUG
        const string configuration = "Debug";
#else
        const string configuration = "Release";
#endif
        var relative = Path.Combine("src", "BemsServer", "bin", configuration, "net10.0", "BemsServer.dll");
        return Path.Combine(root ?? InvocationDirectory(), relative);
    }

    /// <summary>The dotnet host that runs this process (so children use the same runtime).</summary>
    private static string FindDotnetHost()
    {
        var self = Environment.ProcessPath;
        if (self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            return self;
        }

        // <root>/shared/Microsoft.NETCore.App/<version>/ → <root>/dotnet
        var runtimeDir = RuntimeEnvironment.GetRuntimeDirectory();
        var root = Path.GetFullPath(Path.Combine(runtimeDir, "..", "..", ".."));
        var candidate = Path.Combine(root, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");
        return File.Exists(candidate) ? candidate : "dotnet";
    }
}
