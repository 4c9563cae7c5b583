using BemsServer.Features.Background;

namespace BemsServer.Tests.Features;

/// <summary>The GNP tokens a tenant knows: what <see cref="PushTokens.Learn"/> makes of a token.</summary>
public sealed class PushTokensTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("a\nb")]
    public void Learn_AMalformedToken_IsMalformed_AndNotKnown(string? token)
    {
        var tokens = new PushTokens();

        tokens.Learn(token, "alice@example.com").Should().Be(LearnOutcome.Malformed);

        tokens.Count.Should().Be(0);
    }

    [Fact]
    public void Learn_ATokenLongerThanTheMaximum_IsMalformed_TheMaximumIsNot()
    {
        var tokens = new PushTokens();

        tokens.Learn(new string('t', PushTokens.MaxLength + 1), null).Should().Be(LearnOutcome.Malformed);
        tokens.Learn(new string('t', PushTokens.MaxLength), null).Should().Be(LearnOutcome.Learned);
    }

    [Fact]
    public void Learn_AKnownToken_IsLearnedAgain_AndTakesAnOwnerOnlyWhenItHadNone()
    {
        var tokens = new PushTokens();

        tokens.Learn("t", null).Should().Be(LearnOutcome.Learned);
        tokens.Learn("t", "alice@example.com").Should().Be(LearnOutcome.Learned);
        tokens.Learn("t", "bob@example.com").Should().Be(LearnOutcome.Learned);

        tokens.OwnerOf("t").Should().Be("alice@example.com");
        tokens.Count.Should().Be(1);
    }

    [Fact]
    public void Learn_WhenFull_RefusesANewToken_ButNotAKnownOne()
    {
        var tokens = new PushTokens();
        for (var i = 0; i < PushTokens.Capacity; i++) tokens.Learn($"t{i}", null);

        tokens.Learn("one-too-many", null).Should().Be(LearnOutcome.Full);
        tokens.Learn("t0", "alice@example.com").Should().Be(LearnOutcome.Learned);

        tokens.IsKnown("one-too-many").Should().BeFalse();
        tokens.Count.Should().Be(PushTokens.Capacity);
    }
}
