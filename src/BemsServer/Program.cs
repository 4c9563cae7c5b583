using BemsServer.Hosting;

// BemsServer: an emulator of BlackBerry's BEMS-Connect instant-messaging service (JSON-RPC 2.0 over WebSocket).
var app = BemsApp.Build(args);
await app.RunAsync();

/// <summary>Entry point; <see cref="BemsApp"/> holds the composition.</summary>
public partial class Program;
