using System.Runtime.InteropServices;

namespace BemsServer.Bench.Hosting;

/// <summary>Where the dotnet host, this bench and the server under test live.</summary>
internal sealed record Locations(string DotnetHost, string BenchDll, string ServerDll)
{
    public static Locations Find(string? serverDllOverride)
    {
        var benchDll = typeof(Locations).Assembly.Location;
        var serverDll = serverDllOverride is not null
            ? Path.GetFullPath(serverDllOverride)
            : DefaultServerDll();
        return new Locations(FindDotnetHost(), benchDll, serverDll);
    }

    /// <summary>
    /// src/BemsServer/bin/&lt;same configuration as the bench&gt;/net10.0/BemsServer.dll in the
    /// repository the bench was built in (found by walking up from the bench's output folder).
    /// </summary>
    private static string DefaultServerDll()
    {
#if DEBUG
        const string configuration = "Debug";
#else
        const string configuration = "Release";
#endif
        var relative = Path.Combine("src", "BemsServer", "bin", configuration, "net10.0", "BemsServer.dll");
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "src", "BemsServer", "BemsServer.csproj")))
            {
                return Path.Combine(dir.FullName, relative);
            }
        }

        return Path.GetFullPath(relative);
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
