using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Xml.Linq;
using BemsServer.Protocol.Admin;

namespace BemsServer.Certification;

/// <summary>A run's reports: JSON (the admin API's view) and JUnit XML, one <c>testcase</c> per case.</summary>
internal static class CertificationReport
{
    /// <summary>The admin API's JSON conventions (camelCase, enums as camelCase strings), indented for a file.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static string ToJson(CertificationRunView run) => JsonSerializer.Serialize(run, Json);

    /// <summary>
    /// JUnit XML: a <c>testsuite</c> named after the user, a <c>testcase</c> per case; a failed case's <c>failure</c> message
    /// names its rule and frame numbers; a case that never ran (the client never came, the run was cancelled) is skipped.
    /// </summary>
    public static string ToJUnit(CertificationRunView run)
    {
        var suite = new XElement("testsuite",
            new XAttribute("name", $"bems-connect certification of {run.User}"),
            new XAttribute("tests", run.Verdicts.Count + run.Pending.Count),
            new XAttribute("failures", run.Failed),
            new XAttribute("skipped", run.Pending.Count),
            new XAttribute("timestamp", run.Started.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture)),
            new XElement("properties",
                Property("tenant", run.Tenant), Property("user", run.User), Property("run", run.Id), Property("status", Name(run.Status))));
        foreach (var verdict in run.Verdicts)
        {
            var testcase = Case(verdict.Case);
            if (!verdict.Passed)
                testcase.Add(new XElement("failure",
                    new XAttribute("message", FailureMessage(verdict)),
                    new XAttribute("type", "certification"),
                    $"rule: {verdict.Rule}\nwindow: {verdict.Window}\nframes: {Frames(verdict)}\n{verdict.Message}"));
            testcase.Add(new XElement("system-out", verdict.Message));
            suite.Add(testcase);
        }
        var why = run.Status == CertificationStatus.NoClient ? "the client never signed in" : "the run ended before this case";
        foreach (var pending in run.Pending) suite.Add(Case(pending).AddAnd(new XElement("skipped", new XAttribute("message", why))));
        var root = new XElement("testsuites", new XAttribute("name", "bems-server certify"),
            new XAttribute("tests", run.Verdicts.Count + run.Pending.Count), new XAttribute("failures", run.Failed), suite);
        return new XDocument(new XDeclaration("1.0", "utf-8", null), root).Declaration + "\n" + root;
    }

    /// <summary>The one line a failed case reports: its rule, what went wrong and the frames that show it.</summary>
    public static string FailureMessage(CaseVerdict verdict) => $"[{verdict.Rule}] {verdict.Message} (frames: {Frames(verdict)})";

    public static string Frames(CaseVerdict verdict) => verdict.Frames.Count == 0 ? "none" : string.Join(", ", verdict.Frames.Select(static f => "#" + f.ToString(CultureInfo.InvariantCulture)));

    public static string Name(CertificationStatus status) => JsonNamingPolicy.CamelCase.ConvertName(status.ToString());

    private static XElement Case(string name) => new("testcase", new XAttribute("classname", "bems-connect.certify"), new XAttribute("name", name));

    private static XElement Property(string name, string value) => new("property", new XAttribute("name", name), new XAttribute("value", value));

    private static XElement AddAnd(this XElement element, XElement child)
    {
        element.Add(child);
        return element;
    }
}
