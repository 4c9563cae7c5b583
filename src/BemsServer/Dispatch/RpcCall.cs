using System.Text.Json;
using BemsServer.Features;
using BemsServer.Features.Sessions;
using BemsServer.Protocol;
using BemsServer.Protocol.Data;

namespace BemsServer.Dispatch;

/// <summary>One request as a method handler sees it: who called, with which id and params, on which tenant.</summary>
internal sealed class RpcCall(ClientConnection connection, IBemsMethod handler, RequestId id, string method, JsonElement parameters)
{
    private Effects? _effects;

    public ClientConnection Connection { get; } = connection;
    public RequestId Id { get; } = id;

    /// <summary>The method name as the client sent it (an alias is echoed back as sent).</summary>
    public string Method { get; } = method;

    public Params Params { get; } = new(parameters, method);
    public TenantServices Tenant => Connection.Tenant;

    /// <summary>The caller's session; the dispatcher has already refused calls without one where a session is required.</summary>
    public Session Session => Connection.Session
        ?? throw new BemsRpcException(ErrorCodes.SessionRequired, "Call BeginSession first.", new ErrorData(Method));

    /// <summary>The request's effects, headed by its immediate response (see <see cref="Dispatch.Effects"/>).</summary>
    public Effects Effects => _effects ??= new Effects(Connection.Outbox);

    /// <summary>
    /// The usual two-phase answer: PROCESSING (with the method's documented background flag). Give it before handing the
    /// effects to a service that releases them under its lock.
    /// </summary>
    public Reply Processing(BemsData data) => Immediate(data, Wire.Processing);

    /// <summary>An immediate response in the standard envelope with another state (TerminateSession, synchronous methods).</summary>
    public Reply Immediate(BemsData data, string state) => Answer(new ResponseFrame(Id, data with { State = state }, handler.Background));

    /// <summary>Queue the COMPLETE notification for this request (released after the immediate response).</summary>
    public void Complete(BemsData data) =>
        Effects.Send(Connection.Outbox, new CompletionFrame(Id, data with { State = Wire.Complete }));

    /// <summary>The file-transfer variant of the completion: <c>"error":null</c>, no sequence, state <c>COMPLETED</c>.</summary>
    public void Completed(BemsData data) =>
        Effects.Send(Connection.Outbox, new CompletionFrame(Id, data with { State = Wire.Completed }, CompletionStyle.ErrorNull));

    /// <summary>An immediate answer of any shape (synchronous methods).</summary>
    public Reply Answer(OutboundFrame response)
    {
        Effects.Respond(response);
        return new Reply(Effects);
    }
}
