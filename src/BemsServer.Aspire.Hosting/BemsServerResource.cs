namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// The BemsServer emulator of BlackBerry's BEMS-Connect, run as an executable (the <c>bems-server</c> dotnet tool, or
/// <c>dotnet BemsServer.dll</c>). Its connection string is the WebSocket address clients open:
/// <c>ws://{host}:{port}/</c>, or <c>ws://{host}:{port}/t/{tenant}/</c> once a tenant is named.
/// </summary>
/// <param name="name">The resource's name.</param>
/// <param name="command">The executable that runs the server.</param>
/// <param name="workingDirectory">The folder it runs in.</param>
public sealed class BemsServerResource(string name, string command, string workingDirectory)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    /// <summary>The name of the endpoint that serves the WebSocket (and the admin API and health probes).</summary>
    public const string WebSocketEndpointName = "ws";

    /// <summary>The name of the endpoint that serves the web console at <c>/console/</c>.</summary>
    public const string ConsoleEndpointName = "console";

    private EndpointReference? _webSocketEndpoint;
    private EndpointReference? _consoleEndpoint;

    /// <summary>The endpoint that serves the WebSocket, the admin API and the health probes.</summary>
    public EndpointReference WebSocketEndpoint => _webSocketEndpoint ??= new(this, WebSocketEndpointName);

    /// <summary>The endpoint that serves the web console.</summary>
    public EndpointReference ConsoleEndpoint => _consoleEndpoint ??= new(this, ConsoleEndpointName);

    /// <summary>The tenant the connection string and the dashboard's Reset name; <see langword="null"/> for the default tenant.</summary>
    public string? Tenant { get; internal set; }

    /// <summary>The server's assembly (<c>BemsServer.dll</c>) run with <c>dotnet</c>, when not the <c>bems-server</c> tool.</summary>
    public string? ServerAssembly { get; internal set; }

    /// <summary><c>ws://{host}:{port}/</c>, or <c>ws://{host}:{port}/t/{tenant}/</c>.</summary>
    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"ws://{WebSocketEndpoint.Property(EndpointProperty.Host)}:{WebSocketEndpoint.Property(EndpointProperty.Port)}/{TenantPath}");

    /// <summary>The admin API's path prefix for the resource's tenant: <c>admin/</c> or <c>admin/t/{tenant}/</c>.</summary>
    internal string TenantAdminPath => "admin/" + TenantPath;

    /// <summary>The tenant's part of a path: empty, or <c>t/{tenant}/</c>.</summary>
    private string TenantPath => Tenant is null ? "" : $"t/{Tenant}/";
}
