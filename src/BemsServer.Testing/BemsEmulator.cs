using BemsServer.Hosting;
using BemsServer.Protocol.Admin;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace BemsServer.Testing;

/// <summary>
/// The BemsServer emulator running in this process on a free loopback port: the real server (<c>BemsApp.Build</c>),
/// with its WebSocket endpoint and its control plane. Start one per test class (or per test run) and take a fresh
/// tenant per test (<see cref="NewTenant"/>), so that tests never see each other.
/// </summary>
public sealed class BemsEmulator : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly AdminHttp _admin;

    private BemsEmulator(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
        _admin = new AdminHttp(baseAddress);
    }

    /// <summary>The server's HTTP address, <c>http://127.0.0.1:{port}/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The default tenant's WebSocket address, <c>ws://127.0.0.1:{port}/</c>.</summary>
    public Uri WebSocketUri => new($"ws://{BaseAddress.Authority}/");

    /// <summary>The server's services (for what the control plane does not offer).</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>Starts the emulator with the built-in directory, the system clock and logging at Warning.</summary>
    public static Task<BemsEmulator> StartAsync(CancellationToken cancellationToken = default) => StartAsync(new BemsEmulatorOptions(), cancellationToken);

    /// <summary>Starts the emulator with the given configuration, seed file and clock.</summary>
    public static async Task<BemsEmulator> StartAsync(BemsEmulatorOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = new Dictionary<string, string?>(options.Configuration, StringComparer.OrdinalIgnoreCase)
        {
            ["Urls"] = "http://127.0.0.1:0",
            ["Serilog:MinimumLevel:Default"] = options.LogLevel,
        };
        if (options.SeedFile is not null) settings["Bems:Directory:SeedFile"] = Path.GetFullPath(options.SeedFile);
        if (options.VirtualClock) settings["Bems:Clock:Mode"] = "Virtual";
        var args = settings.SelectMany(s => new[] { $"--{s.Key}", s.Value ?? "" }).ToArray();

        var app = BemsApp.Build(args, options.ConfigureBuilder);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new BemsEmulator(app, new Uri(address.TrimEnd('/') + "/"));
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>A new tenant with a unique name: its own directory, sessions, chats, journal and fault rules.</summary>
    public BemsTenant NewTenant() => Tenant("t" + Guid.NewGuid().ToString("N")[..12]);

    /// <summary>The tenant of that name (created on first use by the server).</summary>
    public BemsTenant Tenant(string name) => new(_admin, BaseAddress, name);

    /// <summary>The default tenant (<c>ws://host/</c>, <c>/admin/…</c>).</summary>
    public BemsTenant DefaultTenant => new(_admin, BaseAddress, null);

    /// <summary>The server's clock (<c>GET /admin/clock</c>).</summary>
    public Task<ClockView> GetClockAsync(CancellationToken cancellationToken = default) =>
        _admin.GetAsync<ClockView>("admin/clock", cancellationToken);

    /// <summary>Advances the virtual clock (process-wide): every timer that falls due fires. Needs <see cref="BemsEmulatorOptions.VirtualClock"/>.</summary>
    public Task<ClockView> AdvanceClockAsync(TimeSpan by, CancellationToken cancellationToken = default) =>
        _admin.PostAsync<ClockView>("admin/clock/advance", new ClockAdvance(by), cancellationToken);

    /// <summary>Moves the virtual clock forward to an instant (an earlier one is refused).</summary>
    public Task<ClockView> SetClockAsync(DateTimeOffset to, CancellationToken cancellationToken = default) =>
        _admin.PostAsync<ClockView>("admin/clock/set", new ClockSet(to), cancellationToken);

    /// <summary>Stops the server (its connections are dropped).</summary>
    public async ValueTask DisposeAsync()
    {
        _admin.Dispose();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _app.StopAsync(timeout.Token).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
