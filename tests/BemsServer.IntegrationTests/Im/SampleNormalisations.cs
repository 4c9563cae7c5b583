namespace BemsServer.IntegrationTests.Im;

/// <summary>
/// The one place that says how the documentation's instant-messaging samples are used by the conformance tests: which
/// samples are invalid JSON in the source (spec §8, items 8–10) and how docs/spec/bems-connect-api.md normalised them, and
/// where the expected frame deliberately differs from the sample (with the reason). The spec file already holds the
/// normalised text; <see cref="Expected"/> applies the deliberate differences.
/// </summary>
public static class SampleNormalisations
{
    /// <summary>Method → (quirk in the source, normalisation).</summary>
    public static readonly IReadOnlyDictionary<string, (string Source, string Normalised)> InvalidInSource = new Dictionary<string, (string, string)>
    {
        ["CopyContactToGroup"] = ("PROCESSING: no comma before \"background\"", "comma restored"),
        ["SetPersonalMessage"] = ("PROCESSING: \"data\":, { and no comma before \"background\"", "stray comma removed, comma restored"),
        ["SetPresence"] = ("request: trailing comma in params; PROCESSING: \"background\";false", "trailing comma dropped; ':' for ';'"),
        ["GetContactDetail"] = ("PROCESSING: no comma after \"method\"; COMPLETE truncated after \"workPhone\":\"\",\"prese…", "comma restored; object closed"),
        ["GetContactPhotos"] = ("request: the array wrapped as {[ … ]}", "plain array"),
        ["GetContactsState"] = ("request: the array wrapped as {[ … ]}", "plain array"),
        ["UnRegisterTempRemotePresence"] = ("request: {\"contactIds\":{\"user33@example.com}\"} and a trailing comma", "\"contactIds\":\"user33@example.com\""),
        ["SearchDirectory"] = ("PROCESSING: jsonrpc\":\"2.0\" without its opening quote", "quote restored"),
    };

    /// <summary>The expected frame for a sample, with the deliberate differences applied.</summary>
    public static string Expected(string method, string template) => method switch
    {
        // The COMPLETE sample names exampleGroup although the request created TeamBuilding: the server names the group created.
        "AddGroup" => template.Replace("exampleGroup", "TeamBuilding", StringComparison.Ordinal),
        // Notification id "C5" for request "c5": the server echoes the request id. The truncated card ends with presence
        // (the key the text breaks off in), which the server includes.
        "GetContactDetail" => template.Replace("\"C5\"", "\"c5\"", StringComparison.Ordinal)
            .Replace("\"workPhone\":\"\"}", "\"workPhone\":\"\",\"presence\":\"offline\"}", StringComparison.Ordinal),
        // Inferred completions write "<text>" for a message the documentation does not show.
        // (Template's JSON escapes '<' and '>'.)
        _ => template.Replace("\\u003Ctext\\u003E", "<string>", StringComparison.Ordinal),
    };
}
