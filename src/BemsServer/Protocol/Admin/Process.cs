namespace BemsServer.Protocol.Admin;

/// <summary>Process totals for benchmarks and monitoring: take deltas between two reads.</summary>
/// <param name="JitCompiledMethods">
/// Methods the JIT has compiled, tiering's recompilations included. While it grows under a steady load the server is still
/// replacing start-up code with optimized code; a load test measures the server's steady cost once it stops growing.
/// </param>
/// <param name="Gen1Collections">
/// Collections of generation 1 or older (each generation 2 collection counts too). While it moves under a steady load the
/// server is still promoting what the load's start made long-lived (new sessions, chats, logs); a load test measures
/// the server's steady tail once it stops moving.
/// </param>
/// <param name="ThreadPoolWorkItems">
/// Work items the thread pool has completed: each is a hand-off from one thread to another. Divided by the messages
/// between two reads, it says how many hand-offs a message costs (none on the server's own process, whose socket
/// engine threads carry a Connect message from read to send).
/// </param>
public sealed record ProcessFigures(double CpuTimeMs, long AllocatedBytes, long WorkingSetBytes, long GcHeapBytes, long Connections, long Sessions,
    long JitCompiledMethods, long Gen1Collections, long ThreadPoolWorkItems);

/// <summary>A tenant in use, with its counts.</summary>
public sealed record TenantView(string Name, int Users, int Sessions, int Chats, int Connections, int FaultRules);

/// <summary>The server's clock: its mode (<c>system</c> or <c>virtual</c>) and current time.</summary>
public sealed record ClockView(string Mode, DateTimeOffset Now);

/// <summary>Moves the virtual clock forward by <c>by</c>.</summary>
public sealed record ClockAdvance(TimeSpan By);

/// <summary>Moves the virtual clock forward to <c>to</c>.</summary>
public sealed record ClockSet(DateTimeOffset To);
