using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Text.RegularExpressions;
using BemsServer.Control;
using BemsServer.Features.Directory;
using BemsServer.Features.Rooms;
using BemsServer.Features.Chats;
using BemsServer.Features.Sessions;
using BemsServer.Simulation;
using Microsoft.Extensions.Options;

namespace BemsServer.Tenancy;

/// <summary>
/// The tenants of this process: the default one and every named one, created from the same seed by a client's WebSocket
/// upgrade or by the admin API (never by a plain HTTP request), at most <see cref="TenantOptions.Max"/> of them, and
/// forgotten after <see cref="TenantOptions.IdleTimeout"/> without a connection or parked session.
/// </summary>
internal sealed partial class TenantRegistry : IAsyncDisposable
{
    public const string DefaultName = "default";

    private static readonly FrozenSet<string> Reserved = FrozenSet.Create(StringComparer.OrdinalIgnoreCase,
        ["admin", DefaultName, "CON", "PRN", "AUX", "NUL", "CLOCK$", "CONIN$", "CONOUT$",
         "COM0", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
         "LPT0", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9"]);

    private readonly ConcurrentDictionary<string, Lazy<Tenant>> _tenants = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _idleSince = new(StringComparer.Ordinal);
    private readonly Lock _creating = new();
    private readonly Func<string, Lazy<Tenant>> _factory;
    private readonly TenantOptions _options;
    private readonly bool _strict;
    private readonly TimeProvider _time;
    private readonly ITimer? _sweeper;

    public TenantRegistry(
        DirectorySeedSource seed, TimeProvider time, IOptions<ChatOptions> chat, ILogger<SimulationQueue> simulationLogger,
        RoomSeedSource rooms, ILogger<Features.Background.PushLog> pushLogger, IOptions<BemsSessionOptions> sessions,
        IOptions<TenantOptions> options, IOptions<AuthOptions> auth, Diagnostics.BemsMetrics? metrics = null,
        IOptions<Features.Presence.PresenceOptions>? presence = null, IOptions<Features.PersonalContacts.PersonalContactsOptions>? personalContacts = null)
    {
        _time = time;
        _options = options.Value;
        _strict = auth.Value.Mode == AuthMode.Strict;
        _factory = n => new Lazy<Tenant>(() =>
            new Tenant(n, seed.Users, time, chat.Value.InvitationTimeout, new SimulationQueue(simulationLogger), rooms.Value, pushLogger,
                chat.Value.MessageLog, sessions.Value.ParkedTimeout, metrics, chat.Value.DeliveryTimeout, presence?.Value, personalContacts?.Value));
        if (_options.IdleTimeout > TimeSpan.Zero)
        {
            var period = _options.IdleTimeout < TimeSpan.FromMinutes(1) ? _options.IdleTimeout : TimeSpan.FromMinutes(1);
            _sweeper = time.CreateTimer(static state => _ = ((TenantRegistry)state!).SweepAsync(), this, period, period);
        }
    }

    public Tenant Default => _tenants.GetOrAdd(DefaultName, _factory).Value;

    public IEnumerable<Tenant> All => _tenants.Values.Where(static t => t.IsValueCreated).Select(static t => t.Value);

    /// <summary>Named tenants alive now (the default one not counted).</summary>
    public int NamedCount => _tenants.Count - (_tenants.ContainsKey(DefaultName) ? 1 : 0);

    /// <summary>Tenant names are 1–64 letters, digits, '-', '_' or '.'.</summary>
    public static bool IsValidName(string? name) => name is not null && NamePattern().IsMatch(name);

    /// <summary>
    /// Names that would confuse: the admin prefix, the default tenant's own name, names of dots only, and Windows device
    /// names (<c>CON</c>, <c>COM1</c>, also with an extension, any case), which a tool that stores per-tenant files
    /// could not use.
    /// </summary>
    public static bool IsReserved(string name) =>
        name.Trim('.').Length == 0 || Reserved.Contains(name) || (name.IndexOf('.', StringComparison.Ordinal) is > 0 and var dot && Reserved.Contains(name[..dot]));

    /// <summary>An existing tenant, or null; never creates one.</summary>
    public Tenant? Find(string name) =>
        _tenants.TryGetValue(name, out var tenant) ? tenant.Value : null;

    /// <summary>Whether a client may open this named tenant (before anything is created).</summary>
    public TenantRefusal CheckClientName(string name) =>
        !IsValidName(name) ? TenantRefusal.InvalidName
        : IsReserved(name) ? TenantRefusal.Reserved
        : _strict && !_tenants.ContainsKey(name) && !_options.Allowed.Contains(name, StringComparer.Ordinal) ? TenantRefusal.NotAllowed
        : TenantRefusal.None;

    /// <summary>The named tenant, created if needed and if the limit allows; the admin API and WebSocket upgrades use it.</summary>
    public TenantRefusal TryGetOrCreate(string name, out Tenant? tenant)
    {
        tenant = null;
        if (name == DefaultName)
        {
            tenant = Default; // reserved for clients' paths, but it is the default tenant's own name
            return TenantRefusal.None;
        }
        if (!IsValidName(name)) return TenantRefusal.InvalidName;
        if (IsReserved(name)) return TenantRefusal.Reserved;
        Lazy<Tenant>? lazy;
        lock (_creating) // with the sweep's decision: a tenant in use again is never removed under its user's feet
        {
            _idleSince.TryRemove(name, out _);
            if (!_tenants.TryGetValue(name, out lazy))
            {
                if (NamedCount >= _options.Max) return TenantRefusal.Full;
                lazy = _tenants.GetOrAdd(name, _factory);
            }
        }
        tenant = lazy.Value;
        return TenantRefusal.None;
    }

    /// <summary>The named tenant, created if needed; throws when the name is refused (admin and in-process use).</summary>
    public Tenant GetOrCreate(string name) =>
        TryGetOrCreate(name, out var tenant) is var refusal && refusal == TenantRefusal.None
            ? tenant!
            : throw new ArgumentException(Describe(refusal, name), nameof(name));

    /// <summary>The words a refusal is answered with.</summary>
    public string Describe(TenantRefusal refusal, string name) => refusal switch
    {
        TenantRefusal.InvalidName => $"'{name}' is not a tenant name (1-64 letters, digits, '-', '_' or '.').",
        TenantRefusal.Reserved => $"'{name}' is a reserved tenant name (admin, default, dots only and device names such as CON are refused).",
        TenantRefusal.NotAllowed => $"Tenant '{name}' is not configured: in strict auth mode only the tenants in Bems:Tenants:Allowed (or created through the admin API) may be opened.",
        TenantRefusal.Full => $"The server already holds {_options.Max} tenants (Bems:Tenants:Max); reuse one or delete one through the admin API.",
        _ => "",
    };

    /// <summary>Forgets a tenant; the next use of its name creates it afresh. The caller closes its connections.</summary>
    public Tenant? Remove(string name)
    {
        _idleSince.TryRemove(name, out _);
        return _tenants.TryRemove(name, out var tenant) && tenant.IsValueCreated ? tenant.Value : null;
    }

    /// <summary>
    /// Forgets named tenants that have had no connection and no parked session for the idle timeout. A tenant is first
    /// seen idle, then removed once it has stayed idle that long (so expiry happens within one sweep period of it).
    /// </summary>
    internal async Task SweepAsync()
    {
        var now = _time.GetUtcNow();
        foreach (var (name, lazy) in _tenants)
        {
            if (name == DefaultName || !lazy.IsValueCreated) continue;
            var tenant = lazy.Value;
            if (tenant.Control.Connections.Count > 0 || tenant.Sessions.All.Any(static s => s.IsParked))
            {
                _idleSince.TryRemove(name, out _);
                continue;
            }
            lock (_creating)
            {
                // Decided and done in one step against TryGetOrCreate: an upgrade that took this tenant since it was seen
                // idle cleared its idle mark, so it stays (its connection attaches well within a sweep period).
                var since = _idleSince.GetOrAdd(name, now);
                if (now - since < _options.IdleTimeout) continue;
                if (!((ICollection<KeyValuePair<string, Lazy<Tenant>>>)_tenants).Remove(new(name, lazy))) continue;
                _idleSince.TryRemove(name, out _);
            }
            tenant.Chats.Clear();
            await tenant.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _sweeper?.Dispose();
        foreach (var tenant in All) await tenant.DisposeAsync();
    }

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,64}$")]
    private static partial Regex NamePattern();
}
