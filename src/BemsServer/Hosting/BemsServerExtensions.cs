using BemsServer.Diagnostics;
using BemsServer.Admin;
using BemsServer.Cluster;
using BemsServer.Dashboard;
using BemsServer.Dispatch;
using BemsServer.Features.Background;
using BemsServer.Features.Chats;
using BemsServer.Features.Contacts;
using BemsServer.Features.Directory;
using BemsServer.Features.Rooms;
using BemsServer.Features.FileTransfer;
using BemsServer.Features.Presence;
using BemsServer.Features.Sessions;
using BemsServer.Services;
using BemsServer.Tenancy;
using BemsServer.Transport;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace BemsServer.Hosting;

/// <summary>Composition of the emulator: options, state, method handlers, transport and routes.</summary>
internal static class BemsServerExtensions
{
    public static IServiceCollection AddBemsServer(this IServiceCollection services)
    {
        services.AddOptions<TransportOptions>().BindConfiguration(TransportOptions.SectionName).ValidateDataAnnotations()
            .Validate(o => o.StallTimeout > TimeSpan.Zero, "Bems:Transport:StallTimeout must be positive.").ValidateOnStart();
        services.AddOptions<ChatOptions>().BindConfiguration(ChatOptions.SectionName)
            .Validate(o => o.InvitationTimeout > TimeSpan.Zero, "Bems:Chat:InvitationTimeout must be positive.")
            .Validate(o => o.DeliveryTimeout > TimeSpan.Zero, "Bems:Chat:DeliveryTimeout must be positive.")
            .Validate(o => o.MessageLog >= 0, "Bems:Chat:MessageLog must not be negative.").ValidateOnStart();
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.SectionName)
            .Validate(o => o.Mode == AuthMode.Open || o.Tokens.Count > 0, "Bems:Auth:Mode=Strict needs Bems:Auth:Tokens.").ValidateOnStart();
        services.AddOptions<DirectoryOptions>().BindConfiguration(DirectoryOptions.SectionName)
            .Validate(o => string.IsNullOrEmpty(o.SeedFile) || File.Exists(o.SeedFile), "Bems:Directory:SeedFile does not exist.").ValidateOnStart();
        services.AddOptions<BemsSessionOptions>().BindConfiguration(BemsSessionOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ShutdownOptions>().BindConfiguration(ShutdownOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<TenantOptions>().BindConfiguration(TenantOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<RoomOptions>().BindConfiguration(RoomOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();

        services.AddOptions<ClockOptions>().BindConfiguration(ClockOptions.SectionName);
        services.AddSingleton<TimeProvider>(sp => sp.GetRequiredService<IOptions<ClockOptions>>().Value.Mode == ClockMode.Virtual
            ? new FakeTimeProvider(DateTimeOffset.UtcNow) // stands still until POST /admin/clock/advance
            : TimeProvider.System);
        services.AddBemsAdmin();
        services.AddBemsServices();
        services.AddBemsConsole();
        services.AddSingleton<DirectorySeedSource>();
        services.AddSingleton<RoomSeedSource>();
        services.AddSingleton<TenantRegistry>();
        services.AddSingleton<Authenticator>();
        services.AddSingleton<ServerStats>();
        services.AddSingleton<MethodTable>();
        services.AddSingleton<Reconnection>();
        services.AddSingleton<Certification.Certifier>();
        services.AddSingleton<IWebSocketEngine, LocalEngine>(); // cluster mode registers its own (AddBemsCluster)

        // One handler per BEMS method.
        services.AddSingleton<IBemsMethod, BeginSession>();
        services.AddSingleton<IBemsMethod, TerminateSession>();
        services.AddSingleton<IBemsMethod, Ping>();
        services.AddSingleton<IBemsMethod, SetGDAuthToken>();
        services.AddSingleton<IBemsMethod, SetGDToken>();
        services.AddSingleton<IBemsMethod, StartChat>();
        services.AddSingleton<IBemsMethod, AcceptChat>();
        services.AddSingleton<IBemsMethod, DeclineChat>();
        services.AddSingleton<IBemsMethod, EndChat>();
        services.AddSingleton<IBemsMethod, SendMessage>();
        services.AddSingleton<IBemsMethod, MessageAck>();
        services.AddSingleton<IBemsMethod, StartTyping>();
        services.AddSingleton<IBemsMethod, StopTyping>();

        // Persistent chat (pc.*).
        services.AddSingleton<IBemsMethod, CreateRoom>();
        services.AddSingleton<IBemsMethod, UpdateRoom>();
        services.AddSingleton<IBemsMethod, DisableRoom>();
        services.AddSingleton<IBemsMethod, GetRoom>();
        services.AddSingleton<IBemsMethod, SearchRooms>();
        services.AddSingleton<IBemsMethod, GetMyRooms>();
        services.AddSingleton<IBemsMethod, GetRoomParticipants>();
        services.AddSingleton<IBemsMethod, FollowRooms>();
        services.AddSingleton<IBemsMethod, JoinRoom>();
        services.AddSingleton<IBemsMethod, LeaveRoom>();
        services.AddSingleton<IBemsMethod, RoomSendMessage>();
        services.AddSingleton<IBemsMethod, GetChatHistory>();
        services.AddSingleton<IBemsMethod, GetContactList>();
        services.AddSingleton<IBemsMethod, AddContact>();
        services.AddSingleton<IBemsMethod, RemoveContact>();
        services.AddSingleton<IBemsMethod, AddGroup>();
        services.AddSingleton<IBemsMethod, RemoveGroup>();
        services.AddSingleton<IBemsMethod, RenameGroup>();
        services.AddSingleton<IBemsMethod, CopyContactToGroup>();
        services.AddSingleton<IBemsMethod, MoveContact>();
        services.AddSingleton<IBemsMethod, RemoveContactFromGroup>();
        services.AddSingleton<IBemsMethod, SetPresence>();
        services.AddSingleton<IBemsMethod, SetPersonalMessage>();
        services.AddSingleton<IBemsMethod, GetContactsState>();
        services.AddSingleton<IBemsMethod, RegisterTempRemotePresence>();
        services.AddSingleton<IBemsMethod, UnRegisterTempRemotePresence>();
        services.AddSingleton<IBemsMethod, SearchDirectory>();
        services.AddSingleton<IBemsMethod, GetContactDetail>();
        services.AddSingleton<IBemsMethod, GetContactPhotos>();
        services.AddSingleton<IBemsMethod, InviteFileXfer>();
        services.AddSingleton<IBemsMethod, AcceptFileXfer>();
        services.AddSingleton<IBemsMethod, DeclineFileXfer>();
        services.AddSingleton<IBemsMethod, NotifyBackground>();
        return services;
    }

    /// <summary>The key WebApplication looks for before adding the authorization middleware by itself.</summary>
    private const string AuthorizationMiddlewareSetKey = "__AuthorizationMiddlewareSet";

    public static WebApplication MapBemsServer(this WebApplication app)
    {
        // Fail at start, not at the first connection, when the seed file is broken.
        var seedFile = app.Configuration[$"{DirectoryOptions.SectionName}:{nameof(DirectoryOptions.SeedFile)}"];
        ConfigurationException.Reading($"{DirectoryOptions.SectionName}:{nameof(DirectoryOptions.SeedFile)}", seedFile, () =>
            (app.Services.GetRequiredService<DirectorySeedSource>().Users, app.Services.GetRequiredService<RoomSeedSource>().Value));
        // Behind a reverse proxy that forwards /prefix/…: Bems:PathBase=/prefix (the console's URLs are relative).
        if (app.Configuration["Bems:PathBase"] is { Length: > 0 } pathBase) app.UsePathBase(pathBase);
        if (InlineIo.Enabled) app.Use(InlineIo.OffEventThread);
        app.UseBemsObservability();
        app.Use(static (context, next) =>
        {
            SendBatch.Install(context); // ahead of the WebSocket middleware, which takes the upgrade feature it finds
            return next(context);
        });
        app.UseWebSockets();
        app.UseBemsWebSockets(passThrough: ServiceEndpoints.Owns);
        app.UseRouting();
        // No authorization middleware: no endpoint carries authorization metadata (the admin API has its own guard, the
        // console hub none; a test keeps it so, and an endpoint that did would fail its requests rather than serve them
        // unchecked). The one the framework adds by itself when authorization services exist (SignalR registers them)
        // would sit ahead of everything, keeping a frame alive for each WebSocket's life, and its policy cache builds
        // every routed endpoint when the server starts: half of the start-up time.
        ((IApplicationBuilder)app).Properties[AuthorizationMiddlewareSetKey] = true;
        ConfigurationException.Reading("Bems:Admin:SnapshotFile", app.Configuration["Bems:Admin:SnapshotFile"], () => app.MapAdmin(new AdviceRoutes(), new Certification.CertifyRoutes()));
        app.UseBemsClusterAdmin(); // after the admin guard: a forwarded request was let in here first
        app.MapBemsServices();
        app.MapConsole();
        // The routed endpoints (the admin API's delegates) are built by the first routed request, not at start: a warm-up
        // through the container's EndpointDataSource was tried and built them for nothing, since routing matches with a
        // data source of its own and builds them again (traced: seconds of CPU on a one-core server, during the load).
        return app;
    }
}
