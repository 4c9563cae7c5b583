using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using BemsServer.Protocol;
using BemsServer.Protocol.Data;

namespace BemsServer.Tests.Rooms;

/// <summary>Exact bytes of the pc.* payloads whose shape the documentation pins down.</summary>
public sealed class RoomDataTests
{
    private static string Write(OutboundFrame frame)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            FrameSerializer.Write(writer, frame, new WireCounters(0));
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static readonly RoomMessageData Message = new("ma-chan://h/r", "Room", "Hi", "sip:a@example.com", "A", 2, false, 1557918101769, 0);

    [Fact]
    public void MessageReceived_ForOthers_PutsMethodFirstAndHasNoClientMessageIdNorFileRequestId() =>
        Write(new EventFrame(Message)).Should().Be(
            """{"id":"S1","sequence":1,"error":null,"result":{"data":{"method":"pc.MessageReceived","roomId":"ma-chan://h/r","roomName":"Room","message":"Hi","authorId":"sip:a@example.com","autherDisplayName":"A","messageId":2,"isAlert":false,"timeStamp":1557918101769,"fileLinkCount":0}},"jsonrpc":"2.0"}""");

    [Fact]
    public void MessageReceived_ForTheAuthor_FollowsThePcSendMessageSample() =>
        Write(new EventFrame(new OwnRoomMessageData(Message, "412405")) { ErrorNull = false }).Should().Be(
            """{"id":"S1","sequence":1,"result":{"data":{"message":"Hi","clientMessageId":"412405","fileRequestId":null,"isAlert":false,"messageId":2,"fileLinkCount":0,"roomName":"Room","authorId":"sip:a@example.com","roomId":"ma-chan://h/r","autherDisplayName":"A","timeStamp":1557918101769,"method":"pc.MessageReceived"}},"jsonrpc":"2.0"}""");

    [Fact]
    public void ParticipantChanged_PutsMethodAfterRoomId() =>
        Write(new EventFrame(new ParticipantChangedData("ma-chan://h/r", "user 3", "sip:user3@example.com", false))).Should().Be(
            """{"id":"S1","sequence":1,"error":null,"result":{"data":{"roomId":"ma-chan://h/r","method":"pc.ParticipantChanged","participantName":"user 3","participantId":"sip:user3@example.com","isActive":false}},"jsonrpc":"2.0"}""");

    [Fact]
    public void RoomSettingsChanged_PutsMethodAfterRoomId() =>
        Write(new EventFrame(new RoomSettingsChangedData("ma-chan://h/r", NewRoomName: "SR1"))).Should().Be(
            """{"id":"S1","sequence":1,"error":null,"result":{"data":{"roomId":"ma-chan://h/r","method":"pc.RoomSettingsChanged","newRoomName":"SR1"}},"jsonrpc":"2.0"}""");

    [Fact]
    public void RoomParticipants_PutsMethodBeforeParticipantsAndHasNoState() =>
        Write(new CompletionFrame(new RequestId("c5"), new RoomParticipantsData([new Principal("user1", "User 1", "sip:user1@example.com")]), CompletionStyle.ErrorNull))
            .Should().Be("""{"id":"c5","error":null,"result":{"data":{"method":"pc.GetRoomParticipants","participants":[{"name":"user1","displayName":"User 1","id":"sip:user1@example.com"}]}},"jsonrpc":"2.0"}""");

    [Fact]
    public void SearchRooms_WritesRoomsWithACapitalR() =>
        Write(new CompletionFrame(new RequestId("c5"), new SearchRoomsData([]) { State = "COMPLETE" }, CompletionStyle.ErrorNull))
            .Should().Be("""{"id":"c5","error":null,"result":{"data":{"Rooms":[],"method":"pc.SearchRooms","state":"COMPLETE"}},"jsonrpc":"2.0"}""");
}
