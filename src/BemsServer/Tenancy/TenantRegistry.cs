using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using BemsServer.Control;
using BemsServer.Features.Directory;
using BemsServer.Features.Rooms;
using BemsServer.Hosting;
using BemsServer.Simulation;
using Microsoft.Extensions.Options;

namespace BemsServer.Tenancy;

/// <summary>The tenants of this process: the default one and every named one, created on first use from the same seed.</summary>
public sealed partial class TenantRegistry(
    DirectorySeedSource seed, TimeProvider time, IOptions<ChatOptions> chat, ILogger<SimulationQueue> simulationLogger,
    RoomSeedSource rooms, ILogger<Features.Background.PushLog> pushLogger, IOptions<BemsSessionOptions> sessions,
    Diagnostics.BemsMetrics? metrics = null)
    : IAsyncDisposable
{
    public const string DefaultName = "default";

    private readonly ConcurrentDictionary<string, Lazy<Tenant>> _tenants = new(StringComparer.Ordinal);

    public Tenant Default => GetOrCreate(DefaultName);

    public IEnumerable<Tenant> All => _tenants.Values.Where(static t => t.IsValueCreated).Select(static t => t.Value);

    /// <summary>Tenant names are 1–64 letters, digits, '-', '_' or '.'.</summary>
    public static bool IsValidName(string? name) => name is not null && NamePattern().IsMatch(name);

    public Tenant GetOrCreate(string name)
    {
        if (!IsValidName(name)) throw new ArgumentException($"'{name}' is not a valid tenant name.", nameof(name));
        return _tenants.GetOrAdd(name, n => new Lazy<Tenant>(() =>
            new Tenant(n, seed.Users, time, chat.Value.InvitationTimeout, new SimulationQueue(simulationLogger), rooms.Value, pushLogger,
                chat.Value.MessageLog, sessions.Value.ParkedTimeout, metrics))).Value;
    }

    /// <summary>Forgets a tenant; the next use of its name creates it afresh. The caller closes its connections.</summary>
    public Tenant? Remove(string name) =>
        _tenants.TryRemove(name, out var tenant) && tenant.IsValueCreated ? tenant.Value : null;

    public async ValueTask DisposeAsync()
    {
        foreach (var tenant in All) await tenant.DisposeAsync();
    }

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,64}$")]
    private static partial Regex NamePattern();
}
