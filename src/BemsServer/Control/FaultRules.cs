using BemsServer.Diagnostics;
using BemsServer.Dispatch;
using BemsServer.Features.Directory;
using BemsServer.Protocol.Admin;
using BemsServer.Protocol.Data;

namespace BemsServer.Control;

/// <summary>
/// A tenant's fault rules, checked before each request's handler runs. With no rule the check is one array-length read.
/// The first rule (in the order added) that fires decides the request's fault.
/// </summary>
internal sealed class FaultRules(TenantControl control, BemsMetrics? metrics)
{
    private readonly Lock _gate = new();
    private Rule[] _rules = [];
    private long _nextId;

    public bool Any => Volatile.Read(ref _rules).Length > 0;

    public FaultRuleView Add(FaultSpec spec)
    {
        Validate(spec);
        var normalized = spec.User is null ? spec : spec with { User = ContactAddress.TryNormalize(spec.User, out var key) ? key : spec.User };
        var rule = new Rule("f" + Interlocked.Increment(ref _nextId).ToString(System.Globalization.CultureInfo.InvariantCulture), normalized);
        lock (_gate) _rules = [.. _rules, rule];
        return rule.View();
    }

    public IReadOnlyList<FaultRuleView> List()
    {
        lock (_gate) return [.. _rules.Select(static r => r.View())];
    }

    public bool Remove(string id)
    {
        lock (_gate)
        {
            var kept = Array.FindAll(_rules, r => r.Id != id);
            var removed = kept.Length != _rules.Length;
            _rules = kept;
            return removed;
        }
    }

    public void Clear()
    {
        lock (_gate) _rules = [];
    }

    /// <summary>The transport's hook, before the handler: throws for Error/Close, arms the connection for the others.</summary>
    public void BeforeInvoke(ClientConnection connection, InboundCall call)
    {
        var rules = Volatile.Read(ref _rules);
        if (rules.Length == 0) return;
        FaultSpec? fired = null;
        lock (_gate)
        {
            foreach (var rule in rules)
                if (rule.Fires(connection, call.Method)) { fired = rule.Spec; break; }
        }
        if (fired is null) return;
        metrics?.FaultFired(fired.Action.ToString());
        switch (fired.Action)
        {
            case FaultAction.Error:
                throw new BemsRpcException(fired.ErrorCode, fired.ErrorMessage, new ErrorData(call.Method));
            case FaultAction.Close:
                control.HandleOf(connection)?.Close(fired.CloseCode, fired.CloseReason);
                throw new BemsRpcException(Protocol.ErrorCodes.InternalError, "The connection is closing (injected fault).", new ErrorData(call.Method));
            default:
                control.HandleOf(connection)?.Arm(call.Id, ToPending(fired, call));
                break;
        }
    }

    /// <summary>
    /// The rule that fires on an HTTP call of the BEMS services, if any: <c>method</c> is the route
    /// (<c>POST /api/lookupuser</c>), <c>user</c> the caller its auth token names; <c>session</c> never matches.
    /// </summary>
    public FaultSpec? FireHttp(string method, string? userKey)
    {
        var rules = Volatile.Read(ref _rules);
        if (rules.Length == 0) return null;
        FaultSpec? fired = null;
        lock (_gate)
        {
            foreach (var rule in rules)
                if (rule.Fires(userKey, sessionId: null, method)) { fired = rule.Spec; break; }
        }
        if (fired is not null) metrics?.FaultFired(fired.Action.ToString());
        return fired;
    }

    private static PendingFault ToPending(FaultSpec spec, InboundCall call)
    {
        var action = spec.Action switch
        {
            FaultAction.DelayProcessing => OutboundFault.DelayProcessing,
            FaultAction.DelayComplete => OutboundFault.DelayComplete,
            FaultAction.DropComplete => OutboundFault.DropComplete,
            _ => OutboundFault.MessageUpdate,
        };
        MessageUpdateData? update = null;
        if (action == OutboundFault.MessageUpdate)
        {
            var p = new Params(call.Params, call.Method);
            var contact = p.OptionalString("contactId");
            string[] recipients = ContactAddress.TryNormalize(contact, out var key) ? [ContactAddress.ToUri(key)] : [];
            update = new MessageUpdateData(spec.UpdateType, spec.UpdateStatus, recipients, p.OptionalString("messageId") ?? "");
        }
        return new PendingFault(action, spec.Delay, update);
    }

    private static void Validate(FaultSpec spec)
    {
        if (string.IsNullOrWhiteSpace(spec.Method)) throw new ArgumentException("'method' is required.");
        if (spec.Nth is < 1) throw new ArgumentException("'nth' counts from 1.");
        if (spec.Times is < 1) throw new ArgumentException("'times' must be at least 1 (leave it out for always).");
        if (spec.Probability is < 0 or > 1) throw new ArgumentException("'probability' must be between 0 and 1.");
        if (spec.Action is FaultAction.DelayProcessing or FaultAction.DelayComplete && spec.Delay <= TimeSpan.Zero)
            throw new ArgumentException("A delay action needs a positive 'delay' (e.g. \"00:00:05\").");
        if (spec.Action == FaultAction.Close && spec.CloseCode is not (1000 or >= 3000 and <= 4999))
            throw new ArgumentException("'closeCode' must be 1000 or 3000-4999.");
    }

    private sealed class Rule(string id, FaultSpec spec)
    {
        private readonly Random _random = new(spec.Seed);
        private readonly List<long> _firedAt = [];
        private long _calls;

        public string Id { get; } = id;
        public FaultSpec Spec { get; } = spec;

        /// <summary>Counts a matching call and decides whether the rule fires on it. Called under the rules' lock.</summary>
        public bool Fires(ClientConnection connection, string method) =>
            Fires(connection.Session?.User.Key, connection.Session?.Id, method);

        /// <summary>As <see cref="Fires(ClientConnection, string)"/>, for a call made by that user (and session). Called under the rules' lock.</summary>
        public bool Fires(string? userKey, string? sessionId, string method)
        {
            if (!string.Equals(Spec.Method, method, StringComparison.Ordinal)
                || (Spec.User is not null && Spec.User != userKey)
                || (Spec.Session is not null && Spec.Session != sessionId)) return false;
            var call = ++_calls;
            if (Spec.Nth is { } nth && call != nth) return false;
            if (Spec.Times is { } times && _firedAt.Count >= times) return false;
#pragma warning disable CA5394 // A seeded, replayable generator is the point here, not secrecy.
            if (Spec.Probability is { } p && _random.NextDouble() >= p) return false;
#pragma warning restore CA5394
            _firedAt.Add(call);
            return true;
        }

        public FaultRuleView View() => new(Id, Spec, _calls, [.. _firedAt]);
    }
}
