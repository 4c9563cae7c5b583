using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using BemsServer.IntegrationTests.Infrastructure;

namespace BemsServer.IntegrationTests.Flows;

/// <summary>
/// A host given a certificate the standard Kestrel way (<c>Kestrel:Certificates:Default</c>), its TLS endpoint moved
/// from 8082 to a free port. The certificate is self-signed, made here.
/// </summary>
public sealed class TlsHost() : BemsHost(new()
{
    ["Kestrel:Certificates:Default:Path"] = Certificate.Value.Path,
    ["Kestrel:Certificates:Default:Password"] = Password,
    ["Bems:Tls:Url"] = "https://127.0.0.1:0",
})
{
    private const string Password = "test-only";

    public static readonly Lazy<(string Path, string Thumbprint)> Certificate = new(() =>
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        var path = Path.Combine(Path.GetTempPath(), $"bems-tls-{Environment.ProcessId}.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, Password));
        return (path, certificate.Thumbprint);
    });
}

/// <summary><c>wss://</c>: the same protocol over TLS, as BEMS-Connect serves it on 8082.</summary>
public sealed class TlsTests(TlsHost host) : IClassFixture<TlsHost>
{
    [Fact]
    public async Task Wss_WithTheConfiguredCertificate_CompletesASendMessageToEcho()
    {
        host.TlsAddress.Should().NotBeNull("a configured certificate turns the TLS endpoint on");
        var uri = new Uri($"wss://{host.TlsAddress!.Authority}/t/{Guid.NewGuid():N}/");
        string? presented = null;
        await using var client = await WireClient.ConnectAsync(uri, configure: options => options.RemoteCertificateValidationCallback =
            (_, certificate, _, _) => (presented = certificate?.GetCertHashString()) == TlsHost.Certificate.Value.Thumbprint);
        await client.CallAsync("BeginSession", new { gdAuthToken = "alice@example.com" });

        var (_, complete) = await client.CallAsync("SendMessage", new { contactId = "echo@example.com", message = "over TLS", messageId = "m-1" });

        complete.Data!["chatId"].Should().NotBeNull();
        (await client.EventAsync("MessageReceived")).Data!["message"]!.GetValue<string>().Should().Be("over TLS");
        presented.Should().Be(TlsHost.Certificate.Value.Thumbprint);
    }
}
