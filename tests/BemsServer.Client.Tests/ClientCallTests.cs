using System.Text.Json.Nodes;
using BemsServer.Protocol;
using BemsServer.Protocol.Data;

namespace BemsServer.Client.Tests;

/// <summary>Calls complete with their COMPLETE's data; errors are typed; any method can be called raw.</summary>
public sealed class ClientCallTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    [Fact]
    public async Task Ping_SignedIn_CompletesWithTheSessionTimeout()
    {
        await using var alice = await EmulatorFixture.SignInAsync(fixture.Emulator.NewTenant(), "alice@example.com");

        (await alice.PingAsync()).Should().Be(86400);
    }

    [Fact]
    public async Task Call_BeforeBeginSession_ThrowsBemsRpcExceptionWithCodeAndData()
    {
        await using var client = await BemsClient.ConnectAsync(fixture.Emulator.NewTenant().WebSocketUri).WaitAsync(EmulatorFixture.Bound);

        var act = () => client.PingAsync();

        var error = (await act.Should().ThrowAsync<BemsRpcException>()).Which;
        error.Code.Should().Be(ErrorCodes.SessionRequired);
        error.Method.Should().Be("Ping");
        error.Data!.Value.GetProperty("method").GetString().Should().Be("Ping");
    }

    [Fact]
    public async Task AcceptChat_UnknownRequestId_ThrowsWithTheParameterAtFault()
    {
        await using var alice = await EmulatorFixture.SignInAsync(fixture.Emulator.NewTenant(), "alice@example.com");

        var act = () => alice.AcceptChatAsync("no-such-invitation");

        var error = (await act.Should().ThrowAsync<BemsRpcException>()).Which;
        error.Code.Should().Be(ErrorCodes.UnknownReference);
        error.Param.Should().Be("requestId");
    }

    [Fact]
    public async Task RawCall_AnyMethod_ReturnsTheCompleteData()
    {
        await using var alice = await EmulatorFixture.SignInAsync(fixture.Emulator.NewTenant(), "alice@example.com");

        var data = await alice.CallAsync("Ping", new { });

        data.GetProperty("sessionTimeout").GetInt32().Should().Be(86400);
        data.GetProperty("state").GetString().Should().Be("COMPLETE", "the PROCESSING response is consumed, the COMPLETE returned");
    }

    [Fact]
    public async Task RawCall_UnknownMethod_ThrowsMethodNotFound()
    {
        await using var alice = await EmulatorFixture.SignInAsync(fixture.Emulator.NewTenant(), "alice@example.com");

        var act = () => alice.CallAsync("NoSuchMethod", new JsonObject());

        (await act.Should().ThrowAsync<BemsRpcException>()).Which.Code.Should().Be(ErrorCodes.MethodNotFound);
    }

    [Fact]
    public async Task RawSendMessage_Declined_ThrowsTheMessageUpdate()
    {
        await using var alice = await EmulatorFixture.SignInAsync(fixture.Emulator.NewTenant(), "alice@example.com");

        var act = () => alice.CallAsync("SendMessage", new { contactId = "decline@example.com", message = "hi", messageId = "raw-1" });

        var update = (await act.Should().ThrowAsync<BemsMessageUpdateException>()).Which.Outcome;
        update.Should().Be(new SendOutcome(SendOutcomeKind.Declined, "raw-1", null, "declined", "terminated"));
    }

    [Fact]
    public async Task SynchronousAnswers_TerminateAndSetGDAuthToken_CompleteOnTheirOnlyFrame()
    {
        await using var alice = await EmulatorFixture.SignInAsync(fixture.Emulator.NewTenant(), "alice@example.com");

        await alice.SetGDAuthTokenAsync("alice@example.com");
        await alice.TerminateSessionAsync();

        (await FluentActions.Awaiting(() => alice.PingAsync()).Should().ThrowAsync<BemsRpcException>()).Which.Code.Should().Be(ErrorCodes.SessionRequired);
    }

    [Fact]
    public async Task TypedResults_ContactsDirectoryAndRooms_AreReadIntoTheProtocolRecords()
    {
        await using var alice = await EmulatorFixture.SignInAsync(fixture.Emulator.NewTenant(), "alice@example.com");

        (await alice.AddGroupAsync("Friends")).Should().Be("The group name Friends is created");
        await alice.AddContactAsync("bob@example.com", "1");
        var list = await alice.GetContactListAsync();
        list.Contacts.Should().ContainKey("sip:bob@example.com").WhoseValue.Groups.Should().Equal("1");
        list.Groups.Should().Equal(new GroupInfo("1", "Friends"));

        var card = await alice.GetContactDetailAsync("echo@example.com");
        card.Uri.Should().Be("sip:echo@example.com");
        (await alice.SearchDirectoryAsync("echo")).Contacts.Should().ContainKey("sip:echo@example.com");
        (await alice.GetContactsStateAsync(["echo@example.com"])).Contacts.Should().ContainSingle().Which.ContactId.Should().Be("sip:echo@example.com");

        var room = await alice.CreateRoomAsync("Client tests", "made by a test");
        await alice.JoinRoomAsync(room.Id);
        (await alice.SendRoomMessageAsync(room.Id, "first post", "p1")).Should().Be("p1");
        (await alice.WaitForEventAsync<RoomMessageData>(m => m.RoomId == room.Id)).Message.Should().Be("first post");
        (await alice.GetChatHistoryAsync([room.Id])).Should().ContainSingle().Which.Message.Should().Be("first post");
        (await alice.GetRoomAsync(room.Id)).IsManagerOf.Should().BeTrue();
        (await alice.GetRoomParticipantsAsync(room.Id)).Select(p => p.Id).Should().Equal("sip:alice@example.com");
    }

    [Fact]
    public async Task RawCall_ParametersAsAJsonObject_AreSentAsGiven()
    {
        await using var alice = await EmulatorFixture.SignInAsync(fixture.Emulator.NewTenant(), "alice@example.com");

        var data = await alice.CallAsync(MethodNames.DirectorySearch, new JsonObject { ["keySearch"] = "echo", ["typeSearch"] = "name" });

        data.GetProperty("method").GetString().Should().Be("SearchDirectory", "the alias answers as the response samples do");
        data.GetProperty("contacts").EnumerateObject().Select(p => p.Name).Should().Contain("sip:echo@example.com");
    }
}
