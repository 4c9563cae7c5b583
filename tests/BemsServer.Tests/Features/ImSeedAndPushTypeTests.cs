using BemsServer.Features.Background;
using BemsServer.Features.Contacts;
using BemsServer.Features.Directory;

namespace BemsServer.Tests.Features;

public sealed class ImSeedAndPushTypeTests
{
    private static readonly SeedUser Bob = new("sip:bob@example.com");

    [Fact]
    public void Parse_UserWithGroupsAndContacts_BuildsAContactListWithNumberedGroups()
    {
        var users = DirectorySeedSource.Parse(new DirectorySeed([
            new SeedUser("alice@example.com", Presence: "Busy", Groups: [new SeedGroup("Friends", ["SIP:Bob@Example.com"]), new SeedGroup("Empty")],
                Contacts: ["carol@example.com"]),
            Bob, new SeedUser("carol@example.com")]), "test");

        var alice = users[0].Profile;
        alice.Presence.Should().Be("busy");
        var list = ContactList.FromSeed(alice);
        list.Contacts.Should().Equal("bob@example.com", "carol@example.com");
        list.Groups.Select(g => (g.Id, g.Name)).Should().Equal(("1", "Friends"), ("2", "Empty"));
        list.GroupsOf("bob@example.com").Should().Equal("1");
    }

    [Theory]
    [InlineData("""{"contacts":["nobody@example.com"]}""")]
    [InlineData("""{"presence":"sleeping"}""")]
    [InlineData("""{"groups":[{"name":"A"},{"name":"a"}]}""")]
    public void Parse_BadProfile_IsRefusedWithTheUserNamed(string what)
    {
        var user = what switch
        {
            _ when what.Contains("contacts", StringComparison.Ordinal) => new SeedUser("alice@example.com", Contacts: ["nobody@example.com"]),
            _ when what.Contains("presence", StringComparison.Ordinal) => new SeedUser("alice@example.com", Presence: "sleeping"),
            _ => new SeedUser("alice@example.com", Groups: [new SeedGroup("A"), new SeedGroup("a")]),
        };

        var parse = () => DirectorySeedSource.Parse(new DirectorySeed([user, Bob]), "test");

        parse.Should().Throw<InvalidDataException>().WithMessage("*alice@example.com*");
    }

    [Theory]
    [InlineData("0", "Unknown")]
    [InlineData("4", "SenderandMessage")]
    [InlineData("sender", "Sender")]
    public void PushTypes_CodeOrName_ParsesToTheName(string raw, string expected)
    {
        PushTypes.TryParse(raw, out var pushType).Should().BeTrue();
        pushType.Should().Be(expected);
    }

    [Theory]
    [InlineData("5")]
    [InlineData("loud")]
    public void PushTypes_Unknown_IsRefused(string raw) => PushTypes.TryParse(raw, out _).Should().BeFalse();
}
