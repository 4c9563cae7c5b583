using System.Globalization;
using BemsServer.Certification;
using BemsServer.Protocol.Admin;
using BemsServer.Tenancy;

namespace BemsServer.Hosting;

/// <summary>
/// <c>bems-server certify --user alice@example.com [--tenant NAME] [--junit FILE] [--json FILE] [--interactive]
/// [--wait 60s] [--cases a,b]</c>: starts its own emulator (any other argument configures it, as for the server:
/// <c>--urls</c>, <c>--Bems:…</c>), prints the WebSocket address for the client, runs the certification and exits
/// 0 when every case passed, 1 when one failed (or the emulator could not start), 2 when the client never came,
/// 64 for a usage error.
/// </summary>
internal static class CertifyCommand
{
    public const string Name = "certify";
    public const int Passed = 0;
    public const int Failed = 1;
    public const int NoClient = 2;
    public const int Usage = 64;

    /// <summary>
    /// The session timeout the command's emulator reports in Ping unless told otherwise: the keeps-alive case waits up
    /// to it on the system clock, so a whole run takes about a minute, not a day.
    /// </summary>
    public const int SessionTimeoutSeconds = 30;

    private const string UsageText = """
        usage: bems-server certify --user alice@example.com [--tenant NAME] [--junit FILE] [--json FILE] [--interactive] [--wait 60s] [--cases a,b]
               [--urls http://localhost:8080] [--Bems:Section:Key=value ...]
        """;

    /// <param name="args">The arguments after <c>certify</c>.</param>
    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken = default)
    {
        Options options;
        try
        {
            options = Options.Parse(args);
        }
        catch (FormatException ex)
        {
            await output.WriteLineAsync($"certify: {ex.Message}\n{UsageText}");
            return Usage;
        }

        if (await BemsApp.TryStartAsync(options.ServerArgs, output, cancellationToken) is not { } app) return Failed;
        await using (app)
        {
            try
            {
                return await CertifyAsync(app, options, output, cancellationToken);
            }
            finally
            {
                await app.StopAsync(CancellationToken.None);
            }
        }
    }

    private static async Task<int> CertifyAsync(WebApplication app, Options options, TextWriter output, CancellationToken cancellationToken)
    {
        var tenants = app.Services.GetRequiredService<TenantRegistry>();
        Tenant tenant;
        if (options.Tenant is null or TenantRegistry.DefaultName) tenant = tenants.Default;
        else if (tenants.TryGetOrCreate(options.Tenant, out var named) is var refusal && refusal != TenantRefusal.None)
        {
            await output.WriteLineAsync($"certify: {tenants.Describe(refusal, options.Tenant)}");
            return Usage;
        }
        else tenant = named!;

        CertificationRun run;
        try
        {
            run = app.Services.GetRequiredService<Certifier>().Start(tenant, new CertifyRequest(options.User, options.Cases, options.Wait), cancellationToken);
        }
        catch (ArgumentException ex)
        {
            await output.WriteLineAsync($"certify: {ex.Message}");
            return Usage;
        }

        var ws = StartupLog.Addresses(app.Services)?.WebSocket ?? new Uri("ws://localhost/");
        var address = tenant.Name == TenantRegistry.DefaultName ? ws : new Uri(ws, $"t/{tenant.Name}/");
        lock (output)
        {
            output.WriteLine($"Certifying the client of {run.User}: connect it to {address} (waiting up to {CertificationCases.Seconds(options.Wait ?? Certifier.DefaultWait)}).");
            output.Flush();
        }
        run.Prompted += text =>
        {
            if (text is null) return;
            lock (output)
            {
                output.WriteLine($"  >> {text}");
                output.Flush();
            }
        };
        run.Judged += verdict =>
        {
            lock (output)
            {
                output.WriteLine(verdict.Passed ? $"  PASS {verdict.Case}: {verdict.Message}" : $"  FAIL {verdict.Case}: {CertificationReport.FailureMessage(verdict)}");
                output.Flush();
            }
        };

        await run.Completion;
        var view = run.View();
        if (options.Json is { } json) await File.WriteAllTextAsync(json, CertificationReport.ToJson(view), CancellationToken.None);
        if (options.JUnit is { } junit) await File.WriteAllTextAsync(junit, CertificationReport.ToJUnit(view), CancellationToken.None);
        await output.WriteLineAsync(view.Status == CertificationStatus.NoClient
            ? $"The client of {run.User} never signed in."
            : $"{view.Passed} passed, {view.Failed} failed ({CertificationReport.Name(view.Status)}).");
        return view.Status switch
        {
            CertificationStatus.Passed => Passed,
            CertificationStatus.NoClient => NoClient,
            _ => Failed,
        };
    }

    /// <summary>The command's own options; every other argument goes to the emulator.</summary>
    private sealed record Options(string User, string? Tenant, string? JUnit, string? Json, bool Interactive, TimeSpan? Wait,
        IReadOnlyList<string>? Cases, string[] ServerArgs)
    {
        public static Options Parse(string[] args)
        {
            string? user = null, tenant = null, junit = null, json = null;
            TimeSpan? wait = null;
            List<string>? cases = null;
            var interactive = false;
            var rest = new List<string>();
            for (var i = 0; i < args.Length; i++)
            {
                string Value() => i + 1 < args.Length ? args[++i] : throw new FormatException($"{args[i]} needs a value.");
                switch (args[i])
                {
                    case "--user": user = Value(); break;
                    case "--tenant": tenant = Value(); break;
                    case "--junit": junit = Value(); break;
                    case "--json": json = Value(); break;
                    case "--wait": wait = Duration(Value()); break;
                    case "--cases": cases = [.. Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)]; break;
                    case "--interactive": interactive = true; break;
                    default: rest.Add(args[i]); break;
                }
            }
            if (user is null) throw new FormatException("--user is required.");
            if (interactive && cases is null) cases = [.. CertificationCases.All.Select(static c => c.Name)];
            if (!rest.Any(static a => a.Contains("Bems:Session:TimeoutSeconds", StringComparison.OrdinalIgnoreCase)))
                rest.Insert(0, $"--Bems:Session:TimeoutSeconds={SessionTimeoutSeconds}");
            return new Options(user, tenant, junit, json, interactive, wait, cases, [.. rest]);
        }

        /// <summary><c>60s</c>, <c>2m</c>, <c>500ms</c>, <c>90</c> (seconds) or <c>00:01:30</c>.</summary>
        public static TimeSpan Duration(string text)
        {
            var (number, unit) = text.EndsWith("ms", StringComparison.Ordinal) ? (text[..^2], 0.001)
                : text.EndsWith('s') ? (text[..^1], 1.0)
                : text.EndsWith('m') ? (text[..^1], 60.0)
                : text.EndsWith('h') ? (text[..^1], 3600.0)
                : (text, 1.0);
            if (double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 0) return TimeSpan.FromSeconds(value * unit);
            if (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span) && span >= TimeSpan.Zero) return span;
            throw new FormatException($"--wait '{text}' is not a duration such as 60s, 2m or 00:01:00.");
        }
    }
}
