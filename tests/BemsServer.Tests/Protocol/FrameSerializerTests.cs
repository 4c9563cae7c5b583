using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using BemsServer.Protocol;
using BemsServer.Protocol.Data;

namespace BemsServer.Tests.Protocol;

/// <summary>Exact bytes of each envelope, member order included, as the documentation's samples print them.</summary>
public sealed class FrameSerializerTests
{
    private readonly WireCounters _counters = new(Wire.SequenceBase(new DateTimeOffset(2026, 11, 26, 9, 0, 0, TimeSpan.Zero)));

    private string Write(OutboundFrame frame)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            FrameSerializer.Write(writer, frame, _counters);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [Fact]
    public void Response_HasErrorNullResultDataAndTopLevelBackground() =>
        Write(new ResponseFrame(new RequestId("c5"), new SendMessageData("189238873498795") { State = "PROCESSING" }, false))
            .Should().Be("""{"id":"c5","error":null,"result":{"data":{"timestamp":"189238873498795","method":"SendMessage","state":"PROCESSING"}},"jsonrpc":"2.0","background":false}""");

    [Fact]
    public void Completion_HasSequenceAndNoError() =>
        Write(new CompletionFrame(new RequestId("c5"), new AcceptChatData("x") { State = "COMPLETE" }))
            .Should().Be("""{"id":"c5","sequence":2992806000000001,"result":{"data":{"chatId":"x","method":"AcceptChat","state":"COMPLETE"}},"jsonrpc":"2.0"}""");

    [Fact]
    public void FileTransferStyleCompletion_HasErrorNullAndNoSequence() =>
        Write(new CompletionFrame(new RequestId("c55"), new MethodData("AcceptFileXfer") { State = "COMPLETED" }, CompletionStyle.ErrorNull))
            .Should().Be("""{"id":"c55","error":null,"result":{"data":{"method":"AcceptFileXfer","state":"COMPLETED"}},"jsonrpc":"2.0"}""");

    [Fact]
    public void MessageUpdate_PutsDataUnderErrorWithALowerCaseServerId() =>
        Write(new MessageUpdateFrame(new MessageUpdateData("ack", "timeout", ["sip:user1@example.com"], "125988FKKFJFHI2345")))
            .Should().Be("""{"id":"s1","error":{"data":{"type":"ack","status":"timeout","contactIds":["sip:user1@example.com"],"messageId":"125988FKKFJFHI2345","method":"MessageUpdate"}},"jsonrpc":"2.0"}""");

    [Fact]
    public void Events_ShareTheServerIdCounterAndTheSequenceWithCompletions()
    {
        Write(new CompletionFrame(new RequestId("c1"), new MethodData("Ping") { State = "COMPLETE" }));
        var first = Write(new EventFrame(new ChatEndedData("chat", "sip:a@example.com")));
        Write(new MessageUpdateFrame(new MessageUpdateData("ack", "timeout", ["sip:a@example.com"], "m")));
        var third = Write(new EventFrame(new ChatEndedData("chat", "sip:a@example.com")));

        first.Should().Be("""{"id":"S1","sequence":2992806000000002,"error":null,"result":{"data":{"chatId":"chat","contactId":"sip:a@example.com","method":"ChatEnded"}},"jsonrpc":"2.0"}""");
        third.Should().StartWith("""{"id":"S3","sequence":2992806000000003,""");
    }

    [Fact]
    public void Error_HasResultNullAndCodeMessageData() =>
        Write(new ErrorFrame(RequestId.Null, -32700, "Parse error", new ErrorData("Ping", "contactId")))
            .Should().Be("""{"id":null,"result":null,"error":{"code":-32700,"message":"Parse error","data":{"method":"Ping","param":"contactId"}},"jsonrpc":"2.0"}""");

    [Fact]
    public void LegacyStatus_MatchesTheSetGDTokenSample() =>
        Write(new LegacyStatusFrame(new RequestId("c112"), "SetGDToken", new LegacyStatus("success")))
            .Should().Be("""{"id":"c112","method":"SetGDToken","result":{"status":"success"},"state":"COMPLETE","jsonrpc":"2.0"}""");

    [Fact]
    public void SequenceBase_StaysBelowTwoToTheFiftyThirdUntil2140() =>
        Wire.SequenceBase(new DateTimeOffset(2140, 12, 31, 0, 0, 0, TimeSpan.Zero)).Should().BeLessThan(1L << 53);
}
