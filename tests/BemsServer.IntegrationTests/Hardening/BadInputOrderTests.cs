using System.Text;
using BemsServer.IntegrationTests.Infrastructure;

namespace BemsServer.IntegrationTests.Hardening;

/// <summary>
/// Answers to bad input leave in the order their requests arrived (a client can match an id-less error only by its
/// position), and malformed strings are a clear -32602 naming the parameter, never an internal error.
/// </summary>
public abstract class BadInputOrderContract(BemsHost host)
{
    /// <summary>Each bad message with the code it earns; sent between two Pings.</summary>
    private static readonly (string Text, int Code)[] BadMessages =
    [
        ("nope", -32700),
        ("", -32700),
        ("""{"method":"FlyToTheMoon","params":{},"id":"x","jsonrpc":"2.0"}""", -32601),
        ("""{"method":"SendMessage","params":{"contactId":7},"id":"x","jsonrpc":"2.0"}""", -32602),
        ("""{"method":"Ping","params":{},"id":"\ud800","jsonrpc":"2.0"}""", -32600),
        ("""{"method":"SendMessage","params":{"contactId":"bob@example.com","message":"\udfff","messageId":"m"},"id":"x","jsonrpc":"2.0"}""", -32602),
    ];

    [Fact]
    public async Task BadInput_BetweenTwoPingsInOneBurst_IsAnsweredBetweenTheirAnswers()
    {
        await using var client = await host.SignInAsync(host.NewTenant(out _), "alice@example.com");
        const int rounds = 20;

        for (var round = 0; round < rounds; round++)
        {
            var (text, code) = BadMessages[round % BadMessages.Length];
            var first = $"p{round}a";
            var second = $"p{round}b";
            var burst = new[]
            {
                client.SendAsync("Ping", null, first),
                client.SendRawAsync(text),
                client.SendAsync("Ping", null, second),
            };
            foreach (var send in burst) await send;

            var frames = new List<Frame>();
            for (var i = 0; i < 5; i++) frames.Add(await client.NextAsync());

            frames.Select(f => f.Id).Should().Equal([first, first, text.Contains("\"x\"", StringComparison.Ordinal) ? "x" : null, second, second],
                "round {0} ({1}) must be answered in arrival order:\n{2}", round, text, string.Join("\n", frames));
            frames[2].Json["error"]!["code"]!.GetValue<int>().Should().Be(code);
        }
    }

    [Fact]
    public async Task EmptyBinaryMessage_IsAnsweredLikeAnyBinaryMessage()
    {
        await using var client = await host.SignInAsync(host.NewTenant(out _), "alice@example.com");

        await client.SendBinaryAsync([]);

        var error = await client.NextAsync();
        error.Json["error"]!["code"]!.GetValue<int>().Should().Be(-32600);
        error.Json["error"]!["message"]!.GetValue<string>().Should().Contain("binary");
        await client.CallAsync("Ping");
    }

    [Fact]
    public async Task LoneSurrogateInId_AfterAPing_KeepsThePingsAnswerAndTheConnection()
    {
        await using var client = await host.SignInAsync(host.NewTenant(out _), "alice@example.com");

        var ping = await client.SendAsync("Ping");
        await client.SendRawAsync("""{"method":"Ping","params":{},"id":"\ud800","jsonrpc":"2.0"}""");

        (await client.NextAsync()).Id.Should().Be(ping);
        (await client.NextAsync()).Id.Should().Be(ping);
        (await client.NextAsync()).Json["error"]!["code"]!.GetValue<int>().Should().Be(-32600);
        await client.CallAsync("Ping");
    }

    [Theory]
    [InlineData("SendMessage", """{"contactId":"bob@example.com","message":"a\ud800b","messageId":"m1"}""", "message")]
    [InlineData("SendMessage", """{"contactId":"bob\udc00@example.com","message":"hi","messageId":"m1"}""", "contactId")]
    [InlineData("SetPersonalMessage", """{"personalMessage":"\ud83d"}""", "personalMessage")]
    [InlineData("SearchDirectory", """{"keySearch":"\ud800\ud800","typeSearch":"name"}""", "keySearch")]
    [InlineData("AddContact", """{"contactId":"bob@example.com","groupId":"\udbff"}""", "groupId")]
    [InlineData("Ping", """{"dependencies":"\ud800"}""", "dependencies")]
    [InlineData("Ping", """{"reconnect":"\ud800"}""", "reconnect")]
    [InlineData("UnRegisterTempRemotePresence", """{"contactIds":["\ud800"]}""", "contactIds")]
    public async Task LoneSurrogateInAStringParameter_IsInvalidParamsNamingIt(string method, string parameters, string param)
    {
        await using var client = await host.SignInAsync(host.NewTenant(out _), "alice@example.com");

        await client.SendRawAsync($$"""{"method":"{{method}}","params":{{parameters}},"id":"c1","jsonrpc":"2.0"}""");

        var error = await client.NextAsync();
        error.Id.Should().Be("c1");
        error.Json["error"]!["code"]!.GetValue<int>().Should().Be(-32602, error.Text);
        error.Json["error"]!["data"]!["param"]!.GetValue<string>().Should().Be(param);
        error.Text.Should().NotContain("bems.").And.NotContain("Internal").And.NotContain(" at ");
        await client.CallAsync("Ping");
    }

    [Fact]
    public async Task InvalidUtf8InATextMessage_ClosesWith1007AsTheWebSocketProtocolRequires()
    {
        var tenant = host.NewTenant(out _);
        await using var bob = await host.SignInAsync(tenant, "bob@example.com");
        await using var client = await host.SignInAsync(tenant, "alice@example.com");

        await client.SendTextBytesAsync([.. Encoding.UTF8.GetBytes("""{"method":"Ping","params":{"x":" """), 0xC3, 0x28, .. Encoding.UTF8.GetBytes("\"},\"id\":\"c1\",\"jsonrpc\":\"2.0\"}")]);

        (await client.WaitForCloseAsync()).Should().Be(System.Net.WebSockets.WebSocketCloseStatus.InvalidPayloadData, client.ReceiveFailure?.ToString());
        await bob.CallAsync("Ping");
    }
}

/// <summary>The contract on one node, the in-memory engine.</summary>
public sealed class BadInputOrderTests(BemsHost host) : BadInputOrderContract(host), IClassFixture<BemsHost>;

/// <summary>The contract on two nodes of the Orleans engine, each client on the other node than the one before.</summary>
public sealed class BadInputOrderClusterTests(ClusterHost host) : BadInputOrderContract(host), IClassFixture<ClusterHost>;
