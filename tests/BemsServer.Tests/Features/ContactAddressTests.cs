using BemsServer.Features.Directory;

namespace BemsServer.Tests.Features;

public sealed class ContactAddressTests
{
    [Theory]
    [InlineData("alice@example.com", "alice@example.com")]
    [InlineData("sip:alice@example.com", "alice@example.com")]
    [InlineData("SIP:Alice@Example.COM", "alice@example.com")]
    [InlineData("  sip:bob@example.com ", "bob@example.com")]
    public void TryNormalize_BareOrSipForm_GivesTheSameKey(string raw, string key)
    {
        ContactAddress.TryNormalize(raw, out var normalized).Should().BeTrue();
        normalized.Should().Be(key);
        ContactAddress.ToUri(normalized!).Should().Be("sip:" + key);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("alice")]
    [InlineData("@example.com")]
    [InlineData("alice@")]
    [InlineData("a@b@c")]
    [InlineData("not an address@example.com")]
    [InlineData("sip:")]
    public void TryNormalize_NotAnAddress_IsRejected(string? raw) =>
        ContactAddress.TryNormalize(raw, out _).Should().BeFalse();
}
