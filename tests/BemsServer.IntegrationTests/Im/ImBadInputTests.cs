using BemsServer.IntegrationTests.Infrastructure;

namespace BemsServer.IntegrationTests.Im;

/// <summary>
/// Bad input to every instant-messaging method added with the contact list: a clear JSON-RPC error naming the method (and
/// parameter where one is at fault), and nothing changed: the contact list and presence read the same before and after,
/// and no other frame follows.
/// </summary>
public sealed class ImBadInputTests(ImHost host) : IClassFixture<ImHost>
{
    public static TheoryData<string, string, int> Cases => new()
    {
        { "AddContact", """{}""", -32602 },
        { "AddContact", """{"contactId":42}""", -32602 },
        { "AddContact", """{"contactId":"nobody@nowhere.example"}""", -32003 },
        { "AddContact", """{"contactId":"me@example.com"}""", -32003 },
        { "AddContact", """{"contactId":"user3@example.com","groupId":"99"}""", -32006 },
        { "RemoveContact", """{"contactId":"user3@example.com"}""", -32007 },
        { "RemoveContact", """{"contactId":["user1@example.com"]}""", -32602 },
        { "AddGroup", """{}""", -32602 },
        { "AddGroup", """{"groupName":"friends"}""", -32008 },
        { "RemoveGroup", """{"groupId":"1"}""", -32009 },
        { "RemoveGroup", """{"groupId":"99"}""", -32006 },
        { "RemoveGroup", """{"groupId":1}""", -32602 },
        { "RenameGroup", """{"groupId":"1"}""", -32602 },
        { "RenameGroup", """{"groupId":"1","newGroupName":"Empty"}""", -32008 },
        { "RenameGroup", """{"groupId":"99","newGroupName":"X"}""", -32006 },
        { "CopyContactToGroup", """{"contactId":"user3@example.com","groupId":"1"}""", -32007 },
        { "CopyContactToGroup", """{"contactId":"user1@example.com","groupId":"99"}""", -32006 },
        { "CopyContactToGroup", """{"contactId":"user1@example.com"}""", -32602 },
        { "MoveContact", """{"contactId":"user1@example.com","fromGroupId":"1","toGroupId":"2"}""", -32007 },
        { "MoveContact", """{"contactId":"user2@example.com","fromGroupId":"1","toGroupId":"99"}""", -32006 },
        { "MoveContact", """{"contactId":"user2@example.com","toGroupId":"2"}""", -32602 },
        { "RemoveContactFromGroup", """{"contactId":"user1@example.com","groupId":"1"}""", -32007 },
        { "RemoveContactFromGroup", """{"contactId":"user2@example.com","groupId":"99"}""", -32006 },
        { "SetPresence", """{}""", -32602 },
        { "SetPresence", """{"presence":"sleeping"}""", -32602 },
        { "SetPresence", """{"presence":"busy","personalMessage":7}""", -32602 },
        { "SetPersonalMessage", """{}""", -32602 },
        { "SetPersonalMessage", """{"personalMessage":false}""", -32602 },
        { "GetContactsState", """{}""", -32602 },
        { "GetContactsState", """{"contactIds":[]}""", -32602 },
        { "GetContactsState", """{"contactIds":["user1@example.com","nobody@nowhere.example"]}""", -32003 },
        { "RegisterTempRemotePresence", """{}""", -32602 },
        { "RegisterTempRemotePresence", """{"contactId":"nobody@nowhere.example"}""", -32003 },
        { "UnRegisterTempRemotePresence", """{"contactId":"user1@example.com"}""", -32004 },
        { "UnRegisterTempRemotePresenceSubscription", """{"contactIds":"not an address"}""", -32602 },
        { "SearchDirectory", """{"keySearch":"sa"}""", -32602 },
        { "DirectorySearch", """{"keySearch":"sa","typeSearch":"shoe size"}""", -32602 },
        { "GetContactDetail", """{"contactId":"nobody@nowhere.example"}""", -32003 },
        { "GetContactDetail", """{}""", -32602 },
        { "GetContactPhotos", """{"contactIds":{"a":1}}""", -32602 },
        { "GetContactPhotos", """{"contactIds":["user1@example.com","nobody@nowhere.example"]}""", -32003 },
        { "InviteFileXfer", """{"contactId":"user1@example.com","fileName":"a.txt","fileId":"f1"}""", -32602 },
        { "InviteFileXfer", """{"contactId":"user1@example.com","fileName":"a.txt","fileSize":"big","fileId":"f1"}""", -32602 },
        { "InviteFileXfer", """{"contactId":"nobody@nowhere.example","fileName":"a.txt","fileSize":1,"fileId":"f1"}""", -32003 },
        { "AcceptFileXfer", """{"contactId":"user1@example.com","fileId":"never-offered"}""", -32004 },
        { "AcceptFileXfer", """{"contactId":"user1@example.com"}""", -32602 },
        { "DeclineFileXfer", """{"contactId":"user1@example.com","fileId":"never-offered"}""", -32004 },
        { "NotifyBackground", """{}""", -32602 },
        { "NotifyBackground", """{"isBackgroundMode":"maybe"}""", -32602 },
        { "NotifyBackground", """{"isBackgroundMode":true,"pushType":"9"}""", -32602 },
        { "NotifyBackground", """{"isBackgroundMode":true,"unreadMessageCount":-1}""", -32602 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task BadInput_AnsweredWithAClearErrorAndNothingChanges(string method, string parameters, int code)
    {
        var tenant = host.NewTenant(out _);
        await using var me = await host.SignInAsync(tenant, "me@example.com");
        await using var tablet = await host.SignInAsync(tenant, "me@example.com");
        await using var user1 = await host.SignInAsync(tenant, "user1@example.com");
        await me.EventAsync("PresenceUpdate"); // user1 is in me's contact list
        await tablet.EventAsync("PresenceUpdate");
        var before = await SnapshotAsync(me);

        await me.SendRawAsync($$"""{"method":"{{method}}","params":{{parameters}},"id":"bad","jsonrpc":"2.0"}""");

        var error = await me.NextAsync();
        error.Id.Should().Be("bad");
        error.Json["result"].Should().BeNull();
        error.Json["error"]!["code"]!.GetValue<int>().Should().Be(code, error.Text);
        error.Json["error"]!["message"]!.GetValue<string>().Should().NotBeNullOrWhiteSpace();
        error.Json["error"]!["data"]!["method"]!.GetValue<string>().Should().Be(method);
        (await SnapshotAsync(me)).Should().Be(before);
        await tablet.ExpectNothingPendingAsync();
        await user1.ExpectNothingPendingAsync();
        await me.ExpectNothingPendingAsync();
    }

    private static async Task<string> SnapshotAsync(WireClient client)
    {
        var list = (await client.CallAsync("GetContactList")).Complete.Data!.ToJsonString();
        var state = (await client.CallAsync("GetContactsState", new { contactIds = new[] { "me@example.com", "user1@example.com" } })).Complete.Data!.ToJsonString();
        return list + state;
    }
}
