using BemsServer.Features.Directory;
using BemsServer.Features.Rooms;
using BemsServer.Protocol.Admin;

namespace BemsServer.Tests.Rooms;

public sealed class RoomSeedPlanTests
{
    private static readonly RoomOptions Options = new();
    private static readonly SeedUser[] Users = [new("sip:ann@example.com"), new("sip:ben@example.com")];

    private static RoomSeedPlan Plan(params SeedRoom[] rooms) =>
        RoomSeedSource.Plan(new DirectorySeed(Users, null, rooms), DirectorySeedSource.Parse(new DirectorySeed(Users), "test"), Options);

    [Fact]
    public void Plan_BuiltInSeed_HasItsRoomsCategoriesAndAPoster()
    {
        var plan = RoomSeedSource.Plan(DirectorySeedSource.Read(null), DirectorySeedSource.Load(null), Options);

        plan.Rooms.Select(r => r.Name).Should().Equal("Welcome", "Project updates", "Leadership");
        plan.Rooms.Select(r => r.Privacy).Should().Equal(RoomPrivacy.Open, RoomPrivacy.Closed, RoomPrivacy.Secret);
        plan.Settings.Categories["announcements"].MayCreate("bob@example.com").Should().BeFalse();
        plan.Rooms[0].Posts!.Every.Should().Be(TimeSpan.FromSeconds(30));
        plan.Rooms[0].Followers.Should().Contain("echo@example.com", "post authors take part in the room");
    }

    [Fact]
    public void Plan_ManagersAreMembersAndAddressesAreKeys()
    {
        var room = Plan(new SeedRoom("R", Managers: ["SIP:Ann@example.com"], Members: ["ben@example.com"])).Rooms.Single();

        room.Managers.Should().Equal("ann@example.com");
        room.Members.Should().BeEquivalentTo("ann@example.com", "ben@example.com");
        room.Category.Should().Be("general");
    }

    [Theory]
    [InlineData("unknown user", "zed@example.com", null, null, "not a user of the seed")]
    [InlineData("bad privacy", "ann@example.com", "Hidden", null, "privacy")]
    [InlineData("undeclared category", "ann@example.com", null, "nope", "category 'nope'")]
    public void Plan_BrokenRoom_FailsWithAClearMessage(string _, string manager, string? privacy, string? category, string message)
    {
        var act = () => Plan(new SeedRoom("R", Managers: [manager], Privacy: privacy, Category: category));

        act.Should().Throw<InvalidDataException>().WithMessage($"*{message}*");
    }

    [Fact]
    public void Plan_SecretRoomFollowedByANonMember_Fails()
    {
        var act = () => Plan(new SeedRoom("R", Privacy: "Secret", Managers: ["ann@example.com"], Followers: ["ben@example.com"]));

        act.Should().Throw<InvalidDataException>().WithMessage("*not a member*");
    }

    [Fact]
    public void Plan_RoomWithoutManager_Fails()
    {
        var act = () => Plan(new SeedRoom("R"));

        act.Should().Throw<InvalidDataException>().WithMessage("*at least one manager*");
    }
}
