using BemsServer.Client;
using BemsServer.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Serilog.Core;

namespace BemsServer.TestInfrastructure;

/// <summary>
/// The real emulator on Kestrel, started through the shipped fixture (<see cref="BemsEmulator"/>) on a free loopback
/// port, with a <see cref="FakeTimeProvider"/> for its clock and a Serilog sink that collects the log, both given to the
/// server through <see cref="BemsEmulatorOptions.ConfigureBuilder"/>. Each test class owns one; each test takes its own
/// tenant so tests never meet. A derived host may keep the server's own clock (<c>injectClock: false</c>), as users run it.
/// </summary>
public class BemsHost : IAsyncLifetime
{
    private static readonly TimeSpan StartBound = TimeSpan.FromSeconds(60);
    private readonly Dictionary<string, string?> _settings;
    private readonly FakeTimeProvider? _clock;
    private BemsEmulator? _emulator;

    public BemsHost() : this([])
    {
    }

    protected BemsHost(Dictionary<string, string?> settings, bool injectClock = true)
    {
        _settings = settings;
        if (injectClock) _clock = new(new DateTimeOffset(2026, 11, 26, 9, 0, 0, TimeSpan.Zero));
    }

    /// <summary>The server's clock: the injected one, or the server's own when it runs with <c>Bems:Clock:Mode=Virtual</c>.</summary>
    public FakeTimeProvider Clock => _clock ?? Services.GetRequiredService<TimeProvider>() as FakeTimeProvider
        ?? throw new InvalidOperationException("The server runs on the system clock.");
    public LogCollector Logs { get; } = new();

    /// <summary>The shipped fixture this host runs on (its tenants and typed control plane).</summary>
    public BemsEmulator Emulator => _emulator ?? throw new InvalidOperationException("The host has not started.");

    public Uri BaseAddress => Emulator.BaseAddress;

    /// <summary>The https:// address, when the host serves TLS too.</summary>
    public Uri? TlsAddress { get; private set; }
    public IServiceProvider Services => Emulator.Services;

    /// <summary>Each node's services (one node here; a cluster host has more).</summary>
    protected virtual IEnumerable<IServiceProvider> Nodes => [Services];

    /// <summary>
    /// Waits (bounded) until a socket on some node has a send pending with frames queued behind it: its client takes no
    /// bytes, and the server's stall clock runs from the send's start (frames behind it tell a stalled client from a
    /// reading one whose send is pending for a moment). A test that moves the clock past the stall timeout must not
    /// move it first.
    /// </summary>
    public void WaitForPendingSend()
    {
        var engines = Nodes.Select(static n => n.GetRequiredService<BemsServer.Transport.IWebSocketEngine>()).ToList();
        SpinWait.SpinUntil(() => engines.Any(static e => e.Sockets.Any(static s => s.SendPending && s.Queued > 0)), WireClient.DefaultTimeout)
            .Should().BeTrue("a client that stopped reading leaves a send pending once the network's buffers are full");
    }

    public virtual async Task InitializeAsync()
    {
        _emulator = await StartServerAsync(_settings);
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        TlsAddress = addresses.FirstOrDefault(static a => a.StartsWith("https://", StringComparison.Ordinal)) is { } tls ? new Uri(tls) : null;
        if (BaseAddress.Scheme != Uri.UriSchemeHttp) throw new InvalidOperationException($"The emulator's base address {BaseAddress} is not http://.");
    }

    /// <summary>Starts one server with these settings, this host's clock and log collector, on a free loopback port.</summary>
    protected async Task<BemsEmulator> StartServerAsync(Dictionary<string, string?> settings)
    {
        var options = new BemsEmulatorOptions
        {
            LogLevel = "Warning",
            ConfigureBuilder = builder =>
            {
                if (_clock is not null) builder.Services.AddSingleton<TimeProvider>(_clock);
                builder.Services.AddSingleton<ILogEventSink>(Logs);
                Configure(builder);
            },
        };
        foreach (var (key, value) in settings) options.Configuration[key] = value;
        using var timeout = new CancellationTokenSource(StartBound);
        return await BemsEmulator.StartAsync(options, timeout.Token);
    }

    /// <summary>Anything else a derived host sets on each server it starts.</summary>
    protected virtual void Configure(WebApplicationBuilder builder)
    {
    }

    /// <summary>The admin API that <see cref="NewConfiguredTenantAsync"/> uses.</summary>
    protected virtual Uri AdminAddress => BaseAddress;

    /// <summary>Where a client connection goes: the address as given (a cluster host spreads connections over its nodes).</summary>
    protected virtual Uri Route(Uri uri) => uri;

    /// <summary>A fresh tenant's WebSocket address: <c>ws://127.0.0.1:port/t/{name}/</c>.</summary>
    public Uri NewTenant(out string name)
    {
        var tenant = Emulator.NewTenant();
        name = tenant.Name;
        return tenant.WebSocketUri;
    }

    public Uri TenantUri(string name) => Emulator.Tenant(name).WebSocketUri;

    /// <summary>A fresh tenant created through the admin API first, as strict auth mode requires (clients may not create one).</summary>
    public async Task<Uri> NewConfiguredTenantAsync()
    {
        var uri = NewTenant(out var name);
        using var http = new HttpClient { BaseAddress = AdminAddress, Timeout = TimeSpan.FromSeconds(20) };
        (await http.PostAsync(new Uri($"admin/tenants/{name}", UriKind.Relative), null)).EnsureSuccessStatusCode();
        return uri;
    }

    public Uri DefaultUri => Emulator.WebSocketUri;

    public async Task<WireClient> ConnectAsync(Uri uri, string? cookie = null, int? receiveBufferBytes = null) =>
        await WireClient.ConnectAsync(Route(uri), cookie, receiveBufferBytes: receiveBufferBytes);

    /// <summary>Connects and signs in (API 2.3 token naming the user), consuming BeginSession's two frames.</summary>
    public async Task<WireClient> SignInAsync(Uri uri, string user, int? receiveBufferBytes = null)
    {
        var client = await ConnectAsync(uri, receiveBufferBytes: receiveBufferBytes);
        await client.CallAsync("BeginSession", new { gdAuthToken = user });
        return client;
    }

    /// <summary>Connects a typed <see cref="BemsClient"/> and signs in, for flow tests that need no raw frames.</summary>
    public async Task<BemsClient> ClientAsync(Uri uri, string user)
    {
        var client = await BemsClient.ConnectAsync(Route(uri)).WaitAsync(WireClient.DefaultTimeout);
        await client.BeginSessionAsync(user);
        return client;
    }

    public virtual async Task DisposeAsync()
    {
        if (_emulator is not null) await _emulator.DisposeAsync();
    }
}
