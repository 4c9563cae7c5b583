using BemsServer.Hosting;

// BemsServer: an emulator of BlackBerry's BEMS-Connect instant-messaging service (JSON-RPC 2.0 over WebSocket).
// `bems-server --version`, `bems-server healthcheck [--url …]`, `bems-server certify --user …`, or the server (Hosting/Commands.cs).
return await Commands.RunAsync(args, Console.Out, Console.Error);

/// <summary>Entry point; <see cref="BemsApp"/> holds the composition.</summary>
internal partial class Program;
