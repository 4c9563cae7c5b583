using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using BemsServer.Protocol;
using BemsServer.Protocol.Data;
using StreamJsonRpc;

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
    public void MessageReceived_ForOthers_HasNoClientMessageIdNorFileRequestId() =>
        Write(new EventFrame(Message)).Should().Be(
            """{"id":"S1","sequence":1,"error":null,"result":{"data":{"roomId":"ma-chan://h/r","roomName":"Room","message":"Hi","authorId":"sip:a@example.com","autherDisplayName":"A","messageId":2,"isAlert":false,"timeStamp":1557918101769,"fileLinkCount":0,"method":"pc.MessageReceived"}},"jsonrpc":"2.0"}""");

    [Fact]
    public void MessageReceived_ForTheAuthor_AddsClientMessageIdAndANullFileRequestId() =>
        Write(new EventFrame(new OwnRoomMessageData(Message, "412405"))).Should().Contain(
            "\"clientMessageId\":\"412405\"").And.Contain("\"fileRequestId\":null").And.Contain("\"method\":\"pc.MessageReceived\"");

    [Fact]
    public void RoomParticipants_PutsMethodBeforeParticipantsAndHasNoState() =>
        Write(new CompletionFrame(new RequestId("c5"), new RoomParticipantsData([new Principal("user1", "User 1", "sip:user1@example.com")]), CompletionStyle.ErrorNull))
            .Should().Be("""{"id":"c5","error":null,"result":{"data":{"method":"pc.GetRoomParticipants","participants":[{"name":"user1","displayName":"User 1","id":"sip:user1@example.com"}]}},"jsonrpc":"2.0"}""");

    [Fact]
    public void SearchRooms_WritesRoomsWithACapitalR() =>
        Write(new CompletionFrame(new RequestId("c5"), new SearchRoomsData([]) { State = "COMPLETE" }, CompletionStyle.ErrorNull))
            .Should().Be("""{"id":"c5","error":null,"result":{"data":{"Rooms":[],"method":"pc.SearchRooms","state":"COMPLETE"}},"jsonrpc":"2.0"}""");
}
