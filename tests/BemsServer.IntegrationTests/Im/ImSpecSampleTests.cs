using BemsServer.IntegrationTests.Infrastructure;

namespace BemsServer.IntegrationTests.Im;

/// <summary>
/// One conformance test per instant-messaging method, generated from the spec's samples: the sample request is sent as
/// raw text (after the arrangement its values need), and the PROCESSING and completion frames are compared whole with the
/// samples (server-chosen values as typed placeholders; deliberate differences in <see cref="SampleNormalisations"/>).
/// Where the documented completion is inferred with data the server fills in, the expected completion is given here.
/// </summary>
public abstract class ImSpecSampleContract(BemsHost host)
{
    private const string Card = "\"displayName\":\"{0}\",\"groups\":[],\"personalMessage\":\"\",\"availability\":\"18500\",\"title\":\"{1}\",\"type\":\"unknown\",\"uri\":\"sip:{2}\",\"photoHash\":\"PENDING\",\"numDevices\":\"0\",\"mobilePhone\":\"{3}\",\"blocked\":\"false\",\"workPhone\":\"{4}\",\"presence\":\"offline\"";

    private static readonly Dictionary<string, string> InferredCompletions = new()
    {
        ["GetContactPhotos"] = """{"id":"c12","sequence":"<sequence>","result":{"data":{"contacts":[{"contactId":"sip:user1@example.com","contentType":"image/svg+xml","photo":"<string>"},{"contactId":"sip:user2@example.com","contentType":"image/svg+xml","photo":"<string>"},{"contactId":"sip:user3@example.com","contentType":"image/svg+xml","photo":"<string>"}],"method":"GetContactPhotos","state":"COMPLETE"}},"jsonrpc":"2.0"}""",
        ["GetContactsState"] = """{"id":"c12","sequence":"<sequence>","result":{"data":{"userId":"sip:me@example.com","contacts":[{"contactId":"sip:user1@example.com","presence":"offline","availability":"18500","personalMessage":"I'm out of office today."},{"contactId":"sip:user2@example.com","presence":"offline","availability":"18500","personalMessage":""},{"contactId":"sip:user3@example.com","presence":"offline","availability":"18500","personalMessage":""}],"method":"GetContactsState","state":"COMPLETE"}},"jsonrpc":"2.0"}""",
        ["SearchDirectory"] = "{\"id\":\"c5\",\"sequence\":\"<sequence>\",\"result\":{\"data\":{\"contacts\":{"
            + "\"sip:user2@example.com\":{" + string.Format(System.Globalization.CultureInfo.InvariantCulture, Card, "Sam Two", "Engineer", "user2@example.com", "+1 555 0102", "+1 555 0202").Replace("\"groups\":[]", "\"groups\":[\"1\"]", StringComparison.Ordinal) + "},"
            + "\"sip:user3@example.com\":{" + string.Format(System.Globalization.CultureInfo.InvariantCulture, Card, "Sasha Three", "", "user3@example.com", "", "") + "}},"
            + "\"maxResults\":2,\"totalResolved\":2,\"searchTerm\":\"sa\",\"method\":\"SearchDirectory\",\"state\":\"COMPLETE\"}},\"jsonrpc\":\"2.0\"}",
    };

    public static TheoryData<string> Methods => new()
    {
        "AddContact", "AddGroup", "CopyContactToGroup", "GetContactDetail", "GetContactList", "GetContactPhotos", "GetContactsState",
        "MoveContact", "NotifyBackground", "RegisterTempRemotePresence", "RemoveContact", "RemoveContactFromGroup", "RemoveGroup",
        "RenameGroup", "SearchDirectory", "SetPersonalMessage", "SetPresence", "UnRegisterTempRemotePresence",
        "InviteFileXfer", "AcceptFileXfer", "DeclineFileXfer",
    };

    [Theory]
    [MemberData(nameof(Methods))]
    public async Task SampleRequest_AnswersAsTheSamples(string method)
    {
        var tenant = host.NewTenant(out _);
        await using var others = new Others();
        await using var me = await host.SignInAsync(tenant, method == "GetContactList" ? "newcomer@example.com" : "me@example.com");
        var request = await ArrangeAsync(method, tenant, me, others);

        await me.SendRawAsync(request);

        var samples = SpecSamples.Of(method);
        var id = System.Text.Json.Nodes.JsonNode.Parse(request)!["id"]!.GetValue<string>();
        FrameAssert.Matches(await me.WaitForAsync(f => f.Id == id, "PROCESSING"),
            SampleNormalisations.Expected(method, SpecSamples.Template(SpecSamples.Response(method))));
        var completion = InferredCompletions.TryGetValue(method, out var inferred)
            ? inferred
            : SampleNormalisations.Expected(method, SpecSamples.Template(method.EndsWith("FileXfer", StringComparison.Ordinal) ? samples[^1] : SpecSamples.Completion(method)));
        FrameAssert.Matches(await me.WaitForAsync(f => f.Id == id, "completion"), completion);
    }

    /// <summary>Brings the tenant into the state the sample's values need; returns the request to send.</summary>
    private async Task<string> ArrangeAsync(string method, Uri tenant, WireClient me, Others others)
    {
        var request = SpecSamples.Request(method);
        switch (method)
        {
            case "CopyContactToGroup":
                return request.Replace("\"15\"", "\"1\"", StringComparison.Ordinal); // the sample's group 15 is me's group 1
            case "GetContactDetail":
                var user1 = others.Add(await host.ConnectAsync(tenant));
                await user1.CallAsync("BeginSession", new { gdAuthToken = "user1@example.com", presence = "offline" }); // appears offline on one device
                return request;
            case "MoveContact":
                await me.CallAsync("CopyContactToGroup", new { contactId = "user1@example.com", groupId = "2" });
                return request;
            case "RemoveContactFromGroup":
                await me.CallAsync("CopyContactToGroup", new { contactId = "user1@example.com", groupId = "1" });
                return request;
            case "RemoveGroup":
                await me.CallAsync("RemoveContactFromGroup", new { contactId = "user2@example.com", groupId = "1" });
                return request;
            case "UnRegisterTempRemotePresence":
                await me.CallAsync("RegisterTempRemotePresence", new { contactId = "user33@example.com" });
                await me.EventAsync("PresenceUpdate");
                return request;
            case "InviteFileXfer":
                others.Add(await host.SignInAsync(tenant, "user1@example.com"));
                await me.EventAsync("PresenceUpdate");
                return request;
            case "AcceptFileXfer" or "DeclineFileXfer":
                var sender = others.Add(await host.SignInAsync(tenant, "user1@example.com"));
                await me.EventAsync("PresenceUpdate");
                await sender.SendRawAsync(SpecSamples.Request("InviteFileXfer").Replace("sip:user1@", "sip:me@", StringComparison.Ordinal));
                await me.EventAsync("FileXferInvitationReceived");
                return request;
            default:
                return request;
        }
    }

    [Fact]
    public async Task MoveContact_RawSampleSpellings_AreAcceptedAsAliases()
    {
        await using var me = await host.SignInAsync(host.NewTenant(out _), "me@example.com");

        await me.SendRawAsync("""{"method":"MoveContact","params":{"contactIds":"user2@example.com","fromGrouId":"1","toGroupId":"2"},"id":"c58","jsonrpc":"2.0"}""");

        (await me.NextAsync()).State.Should().Be("PROCESSING");
        (await me.NextAsync()).Data!["message"]!.GetValue<string>().Should().Be("The contact sip:user2@example.com is moved from the group Friends to the group Empty");
    }

    private sealed class Others : IAsyncDisposable
    {
        private readonly List<WireClient> _clients = [];

        public WireClient Add(WireClient client)
        {
            _clients.Add(client);
            return client;
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var client in _clients) await client.DisposeAsync();
        }
    }
}

/// <summary>The contract on one node, the in-memory engine.</summary>
public sealed class ImSpecSampleTests(ImHost host) : ImSpecSampleContract(host), IClassFixture<ImHost>;

/// <summary>The contract on two nodes of the Orleans engine, each client on the other node than the one before.</summary>
public sealed class ImSpecSampleClusterTests(ImClusterHost host) : ImSpecSampleContract(host), IClassFixture<ImClusterHost>;
