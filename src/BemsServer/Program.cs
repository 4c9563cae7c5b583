using BemsServer.Hosting;

// BemsServer: an emulator of BlackBerry's BEMS-Connect instant-messaging service (JSON-RPC 2.0 over WebSocket).
if (args is [CertifyCommand.Name, .. var certify]) return await CertifyCommand.RunAsync(certify, Console.Out);
return await BemsApp.RunAsync(args);

/// <summary>Entry point; <see cref="BemsApp"/> holds the composition.</summary>
internal partial class Program;
