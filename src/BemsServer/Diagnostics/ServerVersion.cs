using System.Reflection;

namespace BemsServer.Diagnostics;

/// <summary>The server's version as <c>bems-server --version</c> prints it and a HAR export names its creator.</summary>
internal static class ServerVersion
{
    /// <summary>The assembly's informational version (the package version; in Release builds <c>+</c> the commit).</summary>
    public static string Informational { get; } =
        typeof(ServerVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
}
