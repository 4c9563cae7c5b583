using System.Net;
using System.Net.Sockets;

namespace BemsServer.Bench.Client;

/// <summary>
/// Client sockets bound to one loopback source address, so that many connections to one server port are not held to
/// one address's ephemeral ports (about 28,000 on Linux): every 127.0.0.x is this machine, and each has its own ports.
/// </summary>
internal static class SourceAddress
{
    /// <summary>About this many connections per source address, well inside one address's ephemeral ports.</summary>
    public const int SessionsPerAddress = 25_000;

    // Linux: bind() leaves the port to connect(), which needs it unique only per (source, destination) pair.
    private const int SolIp = 0;
    private const int IpBindAddressNoPort = 24;

    /// <summary>127.0.0.2, 127.0.0.3, …: <paramref name="count"/> source addresses (at most 253).</summary>
    public static IPAddress[] Loopback(int count) =>
        [.. Enumerable.Range(2, Math.Clamp(count, 1, 253)).Select(i => new IPAddress([127, 0, 0, (byte)i]))];

    /// <summary>Binds <paramref name="socket"/> to <paramref name="source"/>, leaving the port to connect().</summary>
    public static void Bind(Socket socket, IPAddress source)
    {
        if (OperatingSystem.IsLinux())
        {
            // Without it bind() picks the port from those its own address has free, a search that grew
            // slower with each connection (the last quarter of 19k sessions opened at half the rate).
            socket.SetRawSocketOption(SolIp, IpBindAddressNoPort, BitConverter.GetBytes(1));
        }

        socket.Bind(new IPEndPoint(source, 0));
    }
}
