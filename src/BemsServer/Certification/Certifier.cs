using System.Runtime.CompilerServices;
using BemsServer.Dispatch;
using BemsServer.Features.Directory;
using BemsServer.Features.Sessions;
using BemsServer.Protocol;
using BemsServer.Protocol.Admin;
using BemsServer.Tenancy;
using Microsoft.Extensions.Options;

namespace BemsServer.Certification;

/// <summary>
/// Starts certification runs and keeps each tenant's newest <see cref="MaxRunsPerTenant"/> (a finished run makes room
/// for a new one; while that many run, a new one is refused). One user has at most one run going at a time: two runs
/// would each see the other's frames and faults.
/// </summary>
internal sealed class Certifier(MethodTable methods, IOptions<BemsSessionOptions> session, IHostApplicationLifetime lifetime)
{
    public const int MaxRunsPerTenant = 8;

    /// <summary>How long a run waits for the client to sign in unless told (<c>--wait</c>, <c>wait</c>).</summary>
    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(60);

    private readonly ConditionalWeakTable<Tenant, List<CertificationRun>> _tenants = [];

    /// <summary>
    /// Starts a run, stopped by <paramref name="cancellationToken"/> or else when the server stops. Throws <see cref="ArgumentException"/> for a user that is not an address or an unknown case, and
    /// <see cref="InvalidOperationException"/> when the tenant runs its maximum or the user's client is already being certified.
    /// </summary>
    public CertificationRun Start(Tenant tenant, CertifyRequest request, CancellationToken cancellationToken = default)
    {
        if (!ContactAddress.TryNormalize(request.User, out var user)) throw new ArgumentException($"'{request.User}' is not a user id such as alice@example.com.");
        var cases = Select(request.Cases);
        var wait = request.Wait ?? DefaultWait;
        if (wait < TimeSpan.Zero) throw new ArgumentException("'wait' must not be negative.");
        var settings = new CertificationSettings { SessionTimeout = TimeSpan.FromSeconds(session.Value.TimeoutSeconds) };
        var runs = _tenants.GetValue(tenant, static _ => []);
        CertificationRun run;
        lock (runs)
        {
            if (runs.Any(r => !r.IsOver && r.User == user)) throw new InvalidOperationException($"A certification run for {user} is already going on.");
            if (runs.Count >= MaxRunsPerTenant)
            {
                var oldest = runs.FirstOrDefault(static r => r.IsOver)
                    ?? throw new InvalidOperationException($"The tenant already runs {MaxRunsPerTenant} certifications.");
                runs.Remove(oldest);
            }
            CertificationRun? created = null;
            var context = new CaseContext(tenant, user, settings, text => created?.SetPrompt(text))
            {
                KnownMethods = methods.ByName.Keys.ToHashSet(StringComparer.Ordinal),
            };
            run = created = new CertificationRun(ProcessIds.Next("cert-"), context, cases);
            runs.Add(run);
        }
        var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lifetime.ApplicationStopping);
        run.Start(wait, stop.Token);
        run.Completion.ContinueWith(_ => stop.Dispose(), TaskScheduler.Default);
        return run;
    }

    public IReadOnlyList<CertificationRun> Runs(Tenant tenant)
    {
        var runs = _tenants.GetValue(tenant, static _ => []);
        lock (runs) return [.. runs];
    }

    public CertificationRun? Find(Tenant tenant, string id) => Runs(tenant).FirstOrDefault(r => r.Id == id);

    /// <summary>The named cases in catalogue order (every automatic case when none are named).</summary>
    public static IReadOnlyList<CertificationCase> Select(IReadOnlyList<string>? names)
    {
        if (names is null || names.Count == 0) return CertificationCases.Automatic;
        var unknown = names.Where(static n => CertificationCases.Find(n) is null).ToList();
        if (unknown.Count > 0)
            throw new ArgumentException($"Unknown case(s) {string.Join(", ", unknown)}; the cases are {string.Join(", ", CertificationCases.All.Select(static c => c.Name))}.");
        return [.. CertificationCases.All.Where(c => names.Contains(c.Name, StringComparer.Ordinal))];
    }
}
