using System.Text;
using BemsServer.Protocol;

namespace BemsServer.Tests.Protocol;

public sealed class InboundRequestTests
{
    private static InboundRequest Parse(string text) => InboundRequest.Parse(Encoding.UTF8.GetBytes(text));

    [Fact]
    public void Parse_DocumentedRequest_GivesIdMethodAndParams()
    {
        var request = Parse("""{"method":"AddContact","params":{"contactId":"sip:user1@example.com"},"id":"c55","jsonrpc":"2.0"}""");

        request.IsValid.Should().BeTrue();
        request.Id.String.Should().Be("c55");
        request.Method.Should().Be("AddContact");
        request.Params.GetProperty("contactId").GetString().Should().Be("sip:user1@example.com");
    }

    [Theory]
    [InlineData("SendMessage", true)] // a known name: the one string MethodNames holds, nothing decoded
    [InlineData("Send\\u004dessage", false)] // escaped: decoded, still the known name
    [InlineData("SendMessages", false)] // unknown: decoded as sent, and the dispatcher answers it
    [InlineData("S\u00e9ndMessage", false)]
    public void Parse_Method_AKnownNameIsTheSharedString_AnyOtherIsDecoded(string sent, bool shared)
    {
        var request = Parse($$"""{"method":"{{sent}}","params":{},"id":"c1","jsonrpc":"2.0"}""");

        request.IsValid.Should().BeTrue();
        request.Method.Should().Be(System.Text.Json.JsonSerializer.Deserialize<string>($"\"{sent}\""));
        ReferenceEquals(request.Method, MethodNames.SendMessage).Should().Be(shared);
    }

    [Fact]
    public void Parse_ReadsInPlace_TheParamsAreTheCallersBytesUntilDisposed_AndAnOwnedCallKeepsItsOwnCopy()
    {
        var bytes = Encoding.UTF8.GetBytes("""{"method":"SendMessage","params":{"message":"hello"},"id":"c1","jsonrpc":"2.0"}""");
        var request = InboundRequest.Parse(bytes);
        var call = BemsServer.Dispatch.InboundCall.From(request);
        var owned = call.Owned();

        request.Document.Should().NotBeNull("the caller disposes what was parsed");
        request.Document!.Dispose();
        Array.Fill(bytes, (byte)'x'); // the socket's buffer is reused for the next message

        owned.Params.GetProperty("message").GetString().Should().Be("hello");
        owned.Id.String.Should().Be("c1");
        var borrowed = () => call.Params.GetProperty("message");
        borrowed.Should().Throw<ObjectDisposedException>("a call that was not made owned must not be read after its message");
    }

    [Fact]
    public void Parse_TwoValuesInOneMessage_IsAParseErrorSayingSo()
    {
        var request = Parse("""{"method":"Ping","id":"c1"}{"method":"Ping","id":"c2"}""");

        request.ErrorCode.Should().Be(BemsServer.Protocol.ErrorCodes.ParseError);
        request.Error.Should().StartWith("Parse error: '{' is invalid after a single JSON value.");
    }

    [Fact]
    public void Parse_SampleWithTrailingCommas_IsAccepted()
    {
        // The StartChat sample of the documentation has these trailing commas.
        var request = Parse("""{"method":"StartChat","params":{"contactId":"sip:user1@example.com", },"jsonrpc":"2.0","id":"c12", }""");

        request.IsValid.Should().BeTrue();
        request.Id.String.Should().Be("c12");
    }

    [Fact]
    public void Parse_NumericId_KeepsTheNumber() => Parse("""{"method":"Ping","id":12}""").Id.Number.Should().Be(12);

    [Theory]
    [InlineData("{", -32700)]
    [InlineData("{} {}", -32700)]
    [InlineData("null", -32600)]
    [InlineData("[]", -32600)]
    [InlineData("""{"id":"c1"}""", -32600)]
    [InlineData("""{"id":"c1","error":{}}""", -32600)]
    [InlineData("""{"method":"Ping"}""", -32600)]
    [InlineData("""{"method":"Ping","id":1.5}""", -32600)]
    [InlineData("""{"method":"","id":"c1"}""", -32600)]
    [InlineData("""{"method":"Ping","id":"c1","jsonrpc":2}""", -32600)]
    [InlineData("""{"method":"Ping","id":"c1","params":"x"}""", -32602)]
    public void Parse_BadShape_GivesTheMatchingErrorCode(string text, int code)
    {
        var request = Parse(text);

        request.IsValid.Should().BeFalse();
        request.ErrorCode.Should().Be(code);
        request.Error.Should().NotBeNullOrWhiteSpace();
    }
}
