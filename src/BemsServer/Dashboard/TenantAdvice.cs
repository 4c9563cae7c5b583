using System.Text.Json;
using BemsServer.Control;
using BemsServer.Protocol;
using BemsServer.Protocol.Admin;
using BemsServer.Tenancy;

namespace BemsServer.Dashboard;

/// <summary>
/// One tenant's findings, and what the analysis remembers between two reads of the journal, which it reads from after
/// <paramref name="after"/> (a certification run judges only its own frames).
/// </summary>
internal sealed class TenantAdvice(long after = 0)
{
    public const int MaxFindings = 500;

    private readonly Lock _gate = new();
    private readonly List<Advice> _findings = [];
    private readonly Dictionary<string, ConnectionState> _connections = new(StringComparer.Ordinal);
    private readonly Dictionary<(string User, string MessageId), JournalEntry> _unacked = [];
    private readonly HashSet<string> _notReading = new(StringComparer.Ordinal);
    private long _cursor = after;

    public IReadOnlyList<Advice> Read(Tenant tenant, DateTimeOffset now)
    {
        lock (_gate)
        {
            foreach (var entry in tenant.Control.Journal.Query(new JournalFilter { After = _cursor }, int.MaxValue).Entries)
            {
                _cursor = entry.Seq;
                if (entry.Direction == "in") Inbound(entry);
                else Outbound(entry);
            }
            var live = tenant.Control.Connections.ToDictionary(static c => c.Client.Id, StringComparer.Ordinal);
            foreach (var (key, received) in _unacked.Where(u => !live.ContainsKey(u.Value.Connection) || now - u.Value.Time > Advisor.AckGrace).ToList())
            {
                _unacked.Remove(key);
                Add(AdviceRules.Make(AdviceRules.MessageNotAcknowledged, received,
                    $"No MessageAck for messageId '{key.MessageId}' ({(live.ContainsKey(received.Connection) ? $"after {Advisor.AckGrace.TotalSeconds:0} s" : "before the connection closed")})."));
            }
            foreach (var handle in live.Values.Where(h => h.QueuedFrames > Advisor.UnreadFrames && _notReading.Add(h.Client.Id)))
                Add(AdviceRules.Make(AdviceRules.NotReadingSocket, handle.Client.Id, handle.Client.Session?.User.Key, _cursor, now,
                    $"{handle.QueuedFrames} frames are waiting to be written to this client.", null));
            foreach (var gone in _connections.Keys.Where(c => !live.ContainsKey(c)).ToList()) _connections.Remove(gone);
            return [.. _findings];
        }
    }

    private void Inbound(JournalEntry request)
    {
        if (request.Kind != "request" || request.Frame.ValueKind != JsonValueKind.Object) return;
        var state = State(request.Connection);
        var id = request.Id;
        var method = request.Method ?? "";
        if (id is not null)
        {
            if (state.InFlight.TryGetValue(id, out var first))
                Add(AdviceRules.Make(AdviceRules.ReusedRequestId, request,
                    $"Id '{id}' ({method}) was sent while {first.Method} under the same id (frame #{first.Seq}) had not completed."));
            state.InFlight[id] = request;
        }
        var parameters = FrameRow.Path(request.Frame, "params");
        if (parameters is not { ValueKind: JsonValueKind.Object } p) return;
        if (method == MethodNames.SendMessage)
        {
            var messageId = FrameRow.Text(p, "messageId");
            if (string.IsNullOrEmpty(messageId)) Add(AdviceRules.Make(AdviceRules.MissingMessageId, request, "SendMessage has no messageId: a MessageUpdate could not name the message."));
            else if (id is not null) state.Messages[messageId] = id;
        }
        if (method == MethodNames.MessageAck && request.User is { } user && FrameRow.Text(p, "messageId") is { } acked)
            _unacked.Remove((user, acked));
        if (ParamCatalogue.TryGet(method, out var known))
        {
            var unknown = p.EnumerateObject().Select(static m => m.Name).Where(n => !known.Contains(n)).ToList();
            if (unknown.Count > 0)
                Add(AdviceRules.Make(AdviceRules.UnknownParameter, request,
                    $"{method} does not take {string.Join(", ", unknown.Select(static n => $"'{n}'"))} (it takes {string.Join(", ", known.Order(StringComparer.Ordinal))})."));
        }
    }

    private void Outbound(JournalEntry frame)
    {
        var state = State(frame.Connection);
        switch (frame.Kind)
        {
            case "error":
                if (frame.Id is { } errorId && state.InFlight.Remove(errorId, out var refused)
                    && FrameRow.Path(frame.Frame, "error", "code") is { ValueKind: JsonValueKind.Number } code && code.GetInt32() == ErrorCodes.SessionRequired)
                    Add(AdviceRules.Make(AdviceRules.RequestBeforeSession, refused, $"{refused.Method} was sent before BeginSession and refused (-32000)."));
                break;
            case "complete":
                if (frame.Id is { } done) state.InFlight.Remove(done);
                break;
            case "response":
                // A synchronous method's (or a legacy) response is its last frame.
                if (frame.Id is { } answered && FrameRow.StateOf(frame.Frame) != Wire.Processing) state.InFlight.Remove(answered);
                break;
            case "messageUpdate":
                if (RelatedFrames.MessageIdOf(frame) is { } messageId && state.Messages.Remove(messageId, out var requestId)) state.InFlight.Remove(requestId);
                break;
            case "event" when frame.Method == MethodNames.MessageReceived && frame.User is { } user:
                if (FrameRow.Path(frame.Frame, "result", "data") is { } data && FrameRow.Text(data, "messageId") is { } received)
                    _unacked.TryAdd((user, received), frame);
                break;
        }
    }

    private ConnectionState State(string connection)
    {
        if (!_connections.TryGetValue(connection, out var state)) _connections[connection] = state = new ConnectionState();
        return state;
    }

    private void Add(Advice advice)
    {
        _findings.Add(advice);
        if (_findings.Count > MaxFindings) _findings.RemoveAt(0);
    }

    private sealed class ConnectionState
    {
        /// <summary>Requests not yet answered for good, by id.</summary>
        public Dictionary<string, JournalEntry> InFlight { get; } = new(StringComparer.Ordinal);

        /// <summary>SendMessage messageId → request id, to close the request on its MessageUpdate.</summary>
        public Dictionary<string, string> Messages { get; } = new(StringComparer.Ordinal);
    }
}
