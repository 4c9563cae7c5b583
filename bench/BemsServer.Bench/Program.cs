using BemsServer.Bench;
using BemsServer.Bench.Client;
using BemsServer.Bench.Hosting;

if (!args.Contains("--r1-server")) ClientRuntime.Configure(); // before any socket: see ClientRuntime

Options options;
try
{
    options = Options.Parse(args);
}
catch (ArgumentException ex)
{
    await Console.Error.WriteLineAsync(ex.Message);
    await Console.Error.WriteLineAsync(Options.Usage);
    return 2;
}

if (options.R1Server)
{
    return R1EchoServer.Run(options.Port, options.ParentPid);
}

if (options.KeepAwakeProcess)
{
    return KeepAwake.Run(options.ParentPid);
}

if (options.Help)
{
    Console.WriteLine(Options.Usage);
    return 0;
}

return await Bench.RunAsync(options);
