namespace BemsServer.Bench.Client;

/// <summary>
/// How the load client's runtime handles the sockets it reads asynchronously (the portable path, where there is no
/// <see cref="EventLoop"/>, and the HTTP client that reads the servers' counters): each socket completion runs its
/// continuation (the receive loop, the frame parse, the closed loop's next send) on the socket engine's own thread,
/// instead of being queued to the thread pool and woken there. The client does nothing that blocks in a continuation,
/// so the hop was pure cost.
/// </summary>
/// <remarks>
/// The runtime reads <see cref="InlineCompletions"/> once, when the process first uses a socket, so it is set first
/// thing in <c>Main</c>. Server processes (BemsServer and R1 alike) do not inherit it (<see cref="ForServer"/>): each
/// runs with the runtime's defaults unless <c>--server-env</c> says otherwise.
/// </remarks>
internal static class ClientRuntime
{
    public const string InlineCompletions = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>Inline completions for this process, unless the bench was started with the variable set (0: the pool, as before).</summary>
    public static void Configure()
    {
        if (Environment.GetEnvironmentVariable(InlineCompletions) is null) Environment.SetEnvironmentVariable(InlineCompletions, "1");
    }

    /// <summary>Removes the client's setting from a server's environment.</summary>
    public static void ForServer(IDictionary<string, string?> environment) => environment.Remove(InlineCompletions);
}
