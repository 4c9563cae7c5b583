using Microsoft.AspNetCore.Http.Features;

namespace BemsServer.Hosting;

/// <summary>
/// Socket I/O on the runtime's event threads. The server's own process (<c>bems-server</c>, <c>dotnet BemsServer.dll</c>)
/// runs each socket completion, and the Connect message it completes, on the socket engine's thread that saw the data:
/// the read, the dispatch and the sends of a SendMessage happen on one thread, with no hand-off to the thread pool. The
/// thread pool's workers no longer sleep and wake for each message: at half load they took 1.9–2.9 work items and 1.6–5.8
/// context switches per message, and about a fifth of the server's CPU per message (docs/performance.md, thirteenth round).
/// </summary>
/// <remarks>
/// The runtime reads its switch (<see cref="RuntimeVariable"/>) at the process's first socket operation, so only the
/// process's entry point may set it; the in-process fixture (<c>BemsServer.Testing</c>) runs inside a test process and
/// leaves the runtime's default alone. A user who sets the variable (to <c>0</c>, or anything) decides. With it on, code
/// on a Connect message's path must never block: a blocked event thread stalls every socket it serves (the path's only
/// waits are on locks held for a few instructions). HTTP requests other than upgrades start on the thread pool
/// (<see cref="OffEventThread"/>).
/// </remarks>
internal static class InlineIo
{
    /// <summary>The runtime's switch (System.Net.Sockets on Linux and macOS, read once by the runtime).</summary>
    public const string RuntimeVariable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>
    /// Called by the server's command before any socket exists: on, unless the variable is set already. Not on Windows,
    /// whose sockets complete on I/O completion ports and have no such switch.
    /// </summary>
    public static void PreferForThisProcess()
    {
        if (!OperatingSystem.IsWindows() && Environment.GetEnvironmentVariable(RuntimeVariable) is null)
            Environment.SetEnvironmentVariable(RuntimeVariable, "1");
    }

    /// <summary>Whether the runtime runs socket completions inline; Kestrel's transport then runs its continuations inline too.</summary>
    public static bool Enabled => !OperatingSystem.IsWindows() && Environment.GetEnvironmentVariable(RuntimeVariable) == "1";

    /// <summary>
    /// An HTTP request (the admin API, the console's page, BEMS's services) begins on the thread pool, so work done before
    /// its first wait (a journal query, a snapshot, a lookup over a large directory) does not hold up the sockets of the
    /// event thread that read it: one hand-off per request. An upgrade (a Connect or console WebSocket) is not handed off:
    /// its request lasts as long as its connection, and a frame waiting on it here would be held by every open connection;
    /// its accept is short, and every message after it runs on the event thread anyway.
    /// </summary>
    public static Task OffEventThread(HttpContext context, RequestDelegate next) =>
        context.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true } ? next(context) : OnThreadPoolAsync(context, next);

    private static async Task OnThreadPoolAsync(HttpContext context, RequestDelegate next)
    {
        await Task.Yield();
        await next(context);
    }
}
