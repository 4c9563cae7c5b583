using BemsServer.Protocol.Admin;

namespace BemsServer.Certification;

/// <summary>
/// One certification run on a tenant for one user: it waits for the user's client to sign in, then plays its cases one
/// after another and keeps their verdicts (a case's name, rule, window, message and at most
/// <see cref="MaxFramesPerVerdict"/> journal numbers: no frames are copied into the run).
/// </summary>
internal sealed class CertificationRun
{
    public const int MaxFramesPerVerdict = 10;

    private readonly Lock _gate = new();
    private readonly List<CaseVerdict> _verdicts = [];
    private readonly IReadOnlyList<CertificationCase> _cases;
    private readonly CaseContext _context;
    private readonly TimeProvider _time;
    private string? _current;
    private string? _prompt;
    private DateTimeOffset? _finished;
    private CertificationStatus _status = CertificationStatus.Waiting;

    public CertificationRun(string id, CaseContext context, IReadOnlyList<CertificationCase> cases)
    {
        Id = id;
        _context = context;
        _cases = cases;
        _time = context.Tenant.Time;
        Started = _time.GetUtcNow();
    }

    public string Id { get; }
    public string Tenant => _context.Tenant.Name;
    public string User => _context.UserKey;
    public DateTimeOffset Started { get; }
    public CertificationStatus Status
    {
        get
        {
            lock (_gate) return _status;
        }
    }

    public bool IsOver => Status is not (CertificationStatus.Waiting or CertificationStatus.Running);

    /// <summary>Completes when the run is over.</summary>
    public Task Completion { get; private set; } = Task.CompletedTask;

    /// <summary>Told each prompt for the person at the client as it appears (null: the prompt is withdrawn).</summary>
    public event Action<string?>? Prompted;

    /// <summary>Told each verdict as it is given.</summary>
    public event Action<CaseVerdict>? Judged;

    public void Start(TimeSpan wait, CancellationToken cancellationToken) => Completion = RunAsync(wait, cancellationToken);

    public void SetPrompt(string? text)
    {
        lock (_gate) _prompt = text;
        Prompted?.Invoke(text);
    }

    public CertificationRunView View()
    {
        lock (_gate)
        {
            var done = _verdicts.Select(static v => v.Case).ToHashSet(StringComparer.Ordinal);
            return new CertificationRunView(Id, Tenant, User, _status, _current, _prompt, Started, _finished,
                _verdicts.Count(static v => v.Passed), _verdicts.Count(static v => !v.Passed), [.. _verdicts],
                [.. _cases.Select(static c => c.Name).Where(n => !done.Contains(n))]);
        }
    }

    private async Task RunAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        await Task.Yield(); // the caller gets the run at once
        try
        {
            _context.Start = _context.LastSeq;
            if (!await SignedInAsync(wait, cancellationToken))
            {
                Finish(CertificationStatus.NoClient);
                return;
            }
            _context.Prepare();
            lock (_gate) _status = CertificationStatus.Running;
            foreach (var @case in _cases)
            {
                lock (_gate) _current = @case.Name;
                var judgement = await JudgeAsync(@case, cancellationToken);
                var verdict = new CaseVerdict(@case.Name, judgement.Passed, @case.Rule, @case.Window, judgement.Message,
                    [.. judgement.Frames.Take(MaxFramesPerVerdict)]);
                lock (_gate) _verdicts.Add(verdict);
                Judged?.Invoke(verdict);
            }
            Finish(_verdicts.TrueForAll(static v => v.Passed) ? CertificationStatus.Passed : CertificationStatus.Failed);
        }
        catch (OperationCanceledException)
        {
            Finish(CertificationStatus.Cancelled);
        }
    }

    private async Task<Judgement> JudgeAsync(CertificationCase @case, CancellationToken cancellationToken)
    {
        try
        {
            return await @case.Run(_context, cancellationToken);
        }
#pragma warning disable CA1031 // A case that cannot run is a failed case, not a failed run.
        catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
        {
            return Judgement.Fail($"The case could not run: {ex.Message}");
        }
        finally
        {
            SetPrompt(null);
        }
    }

    /// <summary>The user's client is connected with a session, or signs in within <paramref name="wait"/>.</summary>
    private async Task<bool> SignedInAsync(TimeSpan wait, CancellationToken cancellationToken) =>
        _context.Connections.Count > 0
        || await _context.WaitAsync(new JournalFilter { Direction = "out", Kind = "response", User = _context.UserKey, After = _context.Start },
            wait, cancellationToken) is not null;

    private void Finish(CertificationStatus status)
    {
        lock (_gate)
        {
            _status = status;
            _current = null;
            _prompt = null;
            _finished = _time.GetUtcNow();
        }
    }
}
