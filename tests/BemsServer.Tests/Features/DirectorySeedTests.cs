using BemsServer.Features.Directory;
using BemsServer.Protocol.Admin;

namespace BemsServer.Tests.Features;

public sealed class DirectorySeedTests
{
    [Fact]
    public void Load_BuiltInSeed_HasOneSimulatedUserPerBehavior()
    {
        var users = DirectorySeedSource.Load(seedFile: null);

        users.Select(u => u.Behavior).Should().Contain([Behavior.Echo, Behavior.Accept, Behavior.Decline, Behavior.Ignore]);
        users.Single(u => u.Behavior == Behavior.Echo).Uri.Should().Be("sip:echo@example.com");
    }

    [Fact]
    public void Load_SeedFile_ReadsUsersDisplayNamesAndBehaviors()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, """{ "users": [ { "id": "sip:Robo@corp.example", "displayName": "Robo", "behavior": "ECHO" }, { "id": "pat@corp.example" } ] }""");

            var users = DirectorySeedSource.Load(path);

            users.Should().HaveCount(2);
            users[0].Key.Should().Be("robo@corp.example");
            users[0].DisplayName.Should().Be("Robo");
            users[0].Behavior.Should().Be(Behavior.Echo);
            users[1].DisplayName.Should().Be("pat");
            users[1].Behavior.Should().Be(Behavior.None);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("not-an-address", null, "not a user id")]
    [InlineData("x@example.com", "dance", "unknown behavior")]
    public void Parse_BadEntry_FailsWithTheEntryNamed(string id, string? behavior, string message)
    {
        var act = () => DirectorySeedSource.Parse(new DirectorySeed([new SeedUser(id, null, behavior)]), "seed.json");

        act.Should().Throw<InvalidDataException>().WithMessage($"*seed.json*{message}*");
    }
}
