using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using BemsServer.Certification;
using BemsServer.IntegrationTests.Admin;
using BemsServer.Protocol.Admin;
using BemsServer.Tenancy;
using Microsoft.Extensions.DependencyInjection;

namespace BemsServer.IntegrationTests.Certification;

/// <summary>Starts a certification run through the admin API, runs an agent against it and awaits the run's end.</summary>
public static class CertificationRuns
{
    /// <summary>A whole run: its waits are bounded (at most a few windows of 5 to 10 s each for a broken agent).</summary>
    public static readonly TimeSpan RunBound = TimeSpan.FromMinutes(3);

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>Starts a run on a fresh tenant for alice; the agent (when given a fault or none) signs in after the start.</summary>
    public static async Task<(CertificationRunView View, AdminApi Admin, string Tenant)> CertifyAsync(
        BemsHost host, AgentFault? fault, IReadOnlyList<string>? cases = null, string user = "alice@example.com")
    {
        var uri = host.NewTenant(out var tenant);
        var admin = AdminApi.For(host, tenant);
        var started = await admin.PostAsync("certify", new { user, cases }, HttpStatusCode.Accepted);
        var id = started["id"]!.GetValue<string>();
        await using (var agent = new ReferenceAgent(uri, user, host.Clock, fault ?? AgentFault.None))
        {
            if (fault is not null) await agent.StartAsync();
            return (await AwaitAsync(host, tenant, id), admin, tenant);
        }
    }

    /// <summary>The server's run (to await its end or follow its prompts).</summary>
    internal static CertificationRun Find(BemsHost host, string tenant, string id) =>
        host.Services.GetRequiredService<Certifier>().Find(host.Services.GetRequiredService<TenantRegistry>().Find(tenant)!, id)!;

    /// <summary>Awaits the end of a run (its completion, bounded), then reads it through the admin API.</summary>
    public static async Task<CertificationRunView> AwaitAsync(BemsHost host, string tenant, string id)
    {
        await Find(host, tenant, id).Completion.WaitAsync(RunBound);
        using var admin = AdminApi.For(host, tenant);
        return Read(await admin.GetAsync($"certify/{id}"));
    }

    public static CertificationRunView Read(JsonNode node) => node.Deserialize<CertificationRunView>(Json)!;

    /// <summary>The names of the failed cases, with their messages in the assertion's words when it fails.</summary>
    public static IEnumerable<string> FailedCases(this CertificationRunView run) => run.Verdicts.Where(static v => !v.Passed).Select(static v => v.Case);

    public static string Describe(this CertificationRunView run) =>
        string.Join("\n", run.Verdicts.Select(static v => $"{(v.Passed ? "PASS" : "FAIL")} {v.Case}: {v.Message} [{string.Join(",", v.Frames)}]"));
}
