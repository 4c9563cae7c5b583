using BemsServer.IntegrationTests.Infrastructure;

namespace BemsServer.IntegrationTests.Rooms;

/// <summary>Defect 8 of the hardening issue: a Secret room's name is as secret as the room.</summary>
public sealed class RoomSecrecyTests(BemsHost host) : IClassFixture<BemsHost>
{
    [Fact]
    public async Task CreateRoom_NamedLikeASecretRoom_NonMemberCreatesItWithoutLearningAnything()
    {
        var tenant = host.NewTenant(out _);
        await using var carol = await host.SignInAsync(tenant, "carol@example.com");
        await using var alice = await host.SignInAsync(tenant, "alice@example.com");
        var secretId = await carol.CreateRoomAsync(new { name = "Hush", privacy = "Secret", skipInvitations = true });

        var aliceRoom = await alice.CreateRoomAsync(new { name = "hush" });

        aliceRoom.Should().NotBe(secretId);
        (await alice.GetRoomAsync(aliceRoom))["name"]!.GetValue<string>().Should().Be("hush");
        (await carol.PcErrorAsync("pc.CreateRoom", new { name = "HUSH" }))["code"]!.GetValue<int>()
            .Should().Be(-32011, "names stay unique among the rooms a user can see");
    }

    [Fact]
    public async Task UpdateRoom_RenamedLikeASecretRoom_IsAllowedForANonMember()
    {
        var tenant = host.NewTenant(out _);
        await using var carol = await host.SignInAsync(tenant, "carol@example.com");
        await using var alice = await host.SignInAsync(tenant, "alice@example.com");
        await carol.CreateRoomAsync(new { name = "Hush", privacy = "Secret", skipInvitations = true });
        var aliceRoom = await alice.CreateRoomAsync(new { name = "Open plans" });

        await alice.PcAsync("pc.UpdateRoom", new { roomId = aliceRoom, newName = "Hush" });

        (await alice.GetRoomAsync(aliceRoom))["name"]!.GetValue<string>().Should().Be("Hush");
    }
}
