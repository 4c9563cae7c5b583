using System.Text.Json.Nodes;
using BemsServer.IntegrationTests.Infrastructure;

namespace BemsServer.IntegrationTests.Im;

/// <summary>Contact list and groups: seeded per-user state, edits, and what a second device of the same user sees.</summary>
public abstract class ContactListContract(BemsHost host)
{
    private static async Task<JsonNode> ContactListOf(WireClient client) => (await client.CallAsync("GetContactList")).Complete.Data!;

    [Fact]
    public async Task GetContactList_SeededUser_ReturnsItsGroupsAndAStringTypedCardPerContact()
    {
        await using var me = await host.SignInAsync(host.NewTenant(out _), "me@example.com");

        var (_, complete) = await me.CallAsync("GetContactList");

        FrameAssert.Matches(complete, """
            {"id":"<string>","sequence":"<sequence>","result":{"data":{"contacts":{
              "sip:user2@example.com":{"displayName":"Sam Two","groups":["1"],"personalMessage":"","availability":"18500","title":"Engineer","type":"unknown","uri":"sip:user2@example.com","photoHash":"PENDING","numDevices":"0","mobilePhone":"+1 555 0102","blocked":"false","workPhone":"+1 555 0202","presence":"offline"},
              "sip:user1@example.com":{"displayName":"user1","groups":[],"personalMessage":"I'm out of office today.","availability":"18500","title":"","type":"unknown","uri":"sip:user1@example.com","photoHash":"PENDING","numDevices":"0","mobilePhone":"","blocked":"true","workPhone":"","presence":"offline"},
              "sip:user33@example.com":{"displayName":"user33","groups":[],"personalMessage":"","availability":"18500","title":"","type":"unknown","uri":"sip:user33@example.com","photoHash":"PENDING","numDevices":"0","mobilePhone":"","blocked":"false","workPhone":"","presence":"offline"}},
              "groups":[{"groupId":"1","groupName":"Friends"},{"groupId":"2","groupName":"Empty"}],
              "method":"GetContactList","state":"COMPLETE"}},"jsonrpc":"2.0"}
            """);
    }

    [Fact]
    public async Task GetContactList_UserWithoutSeed_ReturnsTheDocumentedEmptyList()
    {
        await using var newcomer = await host.SignInAsync(host.NewTenant(out _), "newcomer@example.com");

        (await ContactListOf(newcomer)).ToJsonString().Should().Be("""{"contacts":{},"method":"GetContactList","state":"COMPLETE"}""");
    }

    [Fact]
    public async Task ContactListEdits_OneDevice_SecondDeviceGetsEachChangeAndReadsTheSameList()
    {
        var tenant = host.NewTenant(out _);
        await using var phone = await host.SignInAsync(tenant, "me@example.com");
        await using var tablet = await host.SignInAsync(tenant, "sip:me@example.com");

        var (_, created) = await phone.CallAsync("AddGroup", new { groupName = "Work" });
        created.Data!["message"]!.GetValue<string>().Should().Be("The group name Work is created");
        FrameAssert.Matches(await tablet.EventAsync("ContactListUpdate"), """
            {"id":"<S-id>","sequence":"<sequence>","error":null,"result":{"data":{"change":"AddGroup","groupId":"3","groupName":"Work","method":"ContactListUpdate"}},"jsonrpc":"2.0"}
            """);

        await phone.CallAsync("AddContact", new { contactId = "user3@example.com", groupId = "3" });
        (await tablet.EventAsync("ContactListUpdate")).Data!["contactId"]!.GetValue<string>().Should().Be("sip:user3@example.com");
        await phone.CallAsync("CopyContactToGroup", new { contactId = "sip:user3@example.com", groupId = "1" });
        (await tablet.EventAsync("ContactListUpdate")).Data!["change"]!.GetValue<string>().Should().Be("CopyContactToGroup");
        await phone.CallAsync("MoveContact", new { contactId = "user2@example.com", fromGroupId = "1", toGroupId = "3" });
        (await tablet.EventAsync("ContactListUpdate")).Data!["toGroupId"]!.GetValue<string>().Should().Be("3");
        await phone.CallAsync("RemoveContactFromGroup", new { contactId = "user3@example.com", groupId = "3" });
        await tablet.EventAsync("ContactListUpdate");
        await phone.CallAsync("RenameGroup", new { groupId = "2", newGroupName = "Nobody" });
        await tablet.EventAsync("ContactListUpdate");
        await phone.CallAsync("RemoveGroup", new { groupId = "2" });
        await tablet.EventAsync("ContactListUpdate");
        await phone.CallAsync("RemoveContact", new { contactId = "user33@example.com" });
        await tablet.EventAsync("ContactListUpdate");

        var list = await ContactListOf(tablet);
        list["groups"]!.ToJsonString().Should().Be("""[{"groupId":"1","groupName":"Friends"},{"groupId":"3","groupName":"Work"}]""");
        var contacts = list["contacts"]!.AsObject();
        contacts.Select(c => c.Key).Should().BeEquivalentTo(["sip:user1@example.com", "sip:user2@example.com", "sip:user3@example.com"]);
        contacts["sip:user2@example.com"]!["groups"]!.ToJsonString().Should().Be("""["3"]""");
        contacts["sip:user3@example.com"]!["groups"]!.ToJsonString().Should().Be("""["1"]""");
        await phone.ExpectNothingPendingAsync();
    }

    [Fact]
    public async Task CopyContactToGroup_AlreadyInTheGroup_CompletesWithItsOwnMessageAndChangesNothing()
    {
        var tenant = host.NewTenant(out _);
        await using var me = await host.SignInAsync(tenant, "me@example.com");
        await using var tablet = await host.SignInAsync(tenant, "me@example.com");
        var before = await ContactListOf(me);

        var (_, complete) = await me.CallAsync("CopyContactToGroup", new { contactId = "user2@example.com", groupId = "1" });

        complete.Data!["message"]!.GetValue<string>().Should().Be("The contact sip:user2@example.com is already in the group Friends");
        (await ContactListOf(me)).ToJsonString().Should().Be(before.ToJsonString());
        await tablet.ExpectNothingPendingAsync();
    }

    [Fact]
    public async Task ContactLists_TwoUsers_AreSeparate()
    {
        var tenant = host.NewTenant(out _);
        await using var me = await host.SignInAsync(tenant, "me@example.com");
        await using var other = await host.SignInAsync(tenant, "user2@example.com");

        await other.CallAsync("AddGroup", new { groupName = "Friends" });

        (await ContactListOf(me))["groups"]!.AsArray().Should().HaveCount(2);
        (await ContactListOf(other))["groups"]!.ToJsonString().Should().Be("""[{"groupId":"1","groupName":"Friends"}]""");
    }
}

/// <summary>The contract on one node, the in-memory engine.</summary>
public sealed class ContactListTests(ImHost host) : ContactListContract(host), IClassFixture<ImHost>;

/// <summary>The contract on two nodes of the Orleans engine, each client on the other node than the one before.</summary>
public sealed class ContactListClusterTests(ImClusterHost host) : ContactListContract(host), IClassFixture<ImClusterHost>;
