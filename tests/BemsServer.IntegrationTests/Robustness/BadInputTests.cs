using BemsServer.IntegrationTests.Infrastructure;
using Serilog.Events;

namespace BemsServer.IntegrationTests.Robustness;

/// <summary>A host with a small frame limit, so that an oversized frame is cheap to send.</summary>
public sealed class SmallFrameHost() : BemsHost(new() { ["Bems:Transport:MaxMessageBytes"] = "1024" });

/// <summary>
/// Bad input gets a clear JSON-RPC error in the BEMS envelope and a log line; the connection stays usable, and another
/// session in the middle of a chat neither notices nor loses anything.
/// </summary>
public sealed class BadInputTests(SmallFrameHost host) : IClassFixture<SmallFrameHost>
{
    public static TheoryData<string, string, int, string?> Cases => new()
    {
        { "malformed JSON", """{"method":"Ping","id":"c1",""", -32700, null },
        { "a number", "42", -32600, null },
        { "a string", "\"Ping\"", -32600, null },
        { "a batch", """[{"method":"Ping","params":{},"id":"c1","jsonrpc":"2.0"}]""", -32600, null },
        { "a response", """{"id":"c1","result":{},"jsonrpc":"2.0"}""", -32600, "c1" },
        { "no id", """{"method":"Ping","params":{},"jsonrpc":"2.0"}""", -32600, null },
        { "an object id", """{"method":"Ping","params":{},"id":{},"jsonrpc":"2.0"}""", -32600, null },
        { "a wrong jsonrpc", """{"method":"Ping","params":{},"id":"c1","jsonrpc":"1.0"}""", -32600, "c1" },
        { "a numeric method", """{"method":7,"params":{},"id":"c1","jsonrpc":"2.0"}""", -32600, "c1" },
        { "an unknown method", """{"method":"FlyToTheMoon","params":{},"id":"c1","jsonrpc":"2.0"}""", -32601, "c1" },
        { "params as an array", """{"method":"Ping","params":[1],"id":"c1","jsonrpc":"2.0"}""", -32602, "c1" },
        { "a missing param", """{"method":"SendMessage","params":{"contactId":"bob@example.com","messageId":"m1"},"id":"c1","jsonrpc":"2.0"}""", -32602, "c1" },
        { "a mistyped param", """{"method":"SendMessage","params":{"contactId":["bob@example.com"],"message":"x","messageId":"m1"},"id":"c1","jsonrpc":"2.0"}""", -32602, "c1" },
        { "a malformed contact", """{"method":"StartChat","params":{"contactId":"not an address"},"id":"c1","jsonrpc":"2.0"}""", -32602, "c1" },
        { "an unknown contact", """{"method":"StartChat","params":{"contactId":"nobody@nowhere.example"},"id":"c1","jsonrpc":"2.0"}""", -32003, "c1" },
        { "an unknown invitation", """{"method":"AcceptChat","params":{"requestId":"dbc2e7b6-25e8-450e-9670-c9e4f32341bb"},"id":"c1","jsonrpc":"2.0"}""", -32004, "c1" },
        { "an unknown message ack", """{"method":"MessageAck","params":{"messageId":"999999","status":"delivered"},"id":"c1","jsonrpc":"2.0"}""", -32004, "c1" },
        { "an unsupported ack status", """{"method":"MessageAck","params":{"messageId":"1","status":"read"},"id":"c1","jsonrpc":"2.0"}""", -32602, "c1" },
        { "a second BeginSession", """{"method":"BeginSession","params":{"gdAuthToken":"mallory@example.com"},"id":"c1","jsonrpc":"2.0"}""", -32002, "c1" },
        { "a lone surrogate in id", """{"method":"Ping","params":{},"id":"\ud800","jsonrpc":"2.0"}""", -32600, null },
        { "a lone surrogate in method", """{"method":"Ping\udc00","params":{},"id":"c1","jsonrpc":"2.0"}""", -32600, "c1" },
        { "a lone surrogate in a param", """{"method":"SendMessage","params":{"contactId":"bob@example.com","message":"\ud800","messageId":"m1"},"id":"c1","jsonrpc":"2.0"}""", -32602, "c1" },
        { "an empty text message", "", -32700, null },
        { "an oversized message", "{\"method\":\"Ping\",\"params\":{\"pad\":\"" + new string('x', 2000) + "\"},\"id\":\"c1\",\"jsonrpc\":\"2.0\"}", -32600, null },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task BadMessage_AnsweredWithAnErrorAndLogged_ConnectionAndOtherSessionsUnharmed(string what, string text, int code, string? id)
    {
        var tenant = host.NewTenant(out var tenantName);
        await using var alice = await host.SignInAsync(tenant, "alice@example.com");
        await using var bob = await host.SignInAsync(tenant, "bob@example.com");
        await using var mallory = await host.SignInAsync(tenant, "mallory@example.com");
        var pending = await alice.SendAsync("SendMessage", new { contactId = "bob@example.com", message = "before", messageId = "m-1" });
        var invitation = await bob.EventAsync("InvitationReceived");

        await mallory.SendRawAsync(text);

        var error = await mallory.NextAsync();
        error.Json["result"].Should().BeNull();
        error.Json.Should().ContainKey("result", "errors use the BEMS envelope with result null");
        error.Json["jsonrpc"]!.GetValue<string>().Should().Be("2.0");
        error.Json["error"]!["code"]!.GetValue<int>().Should().Be(code, what);
        error.Json["error"]!["message"]!.GetValue<string>().Should().NotBeNullOrWhiteSpace();
        error.Json.Should().ContainKey("id");
        error.Id.Should().Be(id, "the error is answered under the request's id where it could be read, else under null");
        host.Logs.Snapshot().Should().Contain(r => r.Level == LogEventLevel.Warning
            && r.Message.Contains("mallory@example.com", StringComparison.Ordinal)
            && r.Message.Contains(tenantName, StringComparison.Ordinal)
            && r.Message.Contains(code.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));

        await mallory.CallAsync("Ping");
        await bob.CallAsync("AcceptChat", new { requestId = invitation.Data!["requestId"]!.GetValue<string>() });
        (await bob.EventAsync("MessageReceived")).Data!["message"]!.GetValue<string>().Should().Be("before");
        await alice.WaitForAsync(f => f.Id == pending && f.State == "COMPLETE", "COMPLETE of the message sent before");
        await alice.CallAsync("SendMessage", new { contactId = "bob@example.com", message = "after", messageId = "m-2" });
        (await bob.EventAsync("MessageReceived")).Data!["message"]!.GetValue<string>().Should().Be("after");
    }

    [Fact]
    public async Task BinaryMessage_AnsweredWithInvalidRequest_ConnectionStaysUsable()
    {
        await using var client = await host.SignInAsync(host.NewTenant(out _), "alice@example.com");

        await client.SendBinaryAsync([1, 2, 3]);

        var error = await client.NextAsync();
        error.Json["error"]!["code"]!.GetValue<int>().Should().Be(-32600);
        error.Json["error"]!["message"]!.GetValue<string>().Should().Contain("binary");
        await client.CallAsync("Ping");
    }

    [Theory]
    [InlineData("Ping", "{}")]
    [InlineData("SendMessage", """{"contactId":"bob@example.com","message":"x","messageId":"m1"}""")]
    [InlineData("StartChat", """{"contactId":"bob@example.com"}""")]
    [InlineData("TerminateSession", "{}")]
    public async Task AnyMethod_BeforeBeginSession_IsRefusedAndChangesNothing(string method, string parameters)
    {
        var tenant = host.NewTenant(out _);
        await using var bob = await host.SignInAsync(tenant, "bob@example.com");
        await using var stranger = await host.ConnectAsync(tenant);

        await stranger.SendRawAsync($$"""{"method":"{{method}}","params":{{parameters}},"id":"c1","jsonrpc":"2.0"}""");

        var error = await stranger.NextAsync();
        error.Json["error"]!["code"]!.GetValue<int>().Should().Be(-32000);
        error.Json["error"]!["message"]!.GetValue<string>().Should().Contain("BeginSession");
        await bob.ExpectNothingPendingAsync();
        await stranger.CallAsync("BeginSession", new { gdAuthToken = "stranger@example.com" });
    }
}
