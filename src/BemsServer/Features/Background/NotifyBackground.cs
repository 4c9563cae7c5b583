using BemsServer.Dispatch;
using BemsServer.Protocol;
using BemsServer.Protocol.Data;

namespace BemsServer.Features.Background;

/// <summary>
/// The app went to the background (or came back). In background mode the session's events are still sent while its socket
/// lives, each one a real server would push is recorded as a push (tenant's <see cref="PushLog"/>, and a log line), and
/// a dropped connection keeps the session for a <c>reconnect</c>. <c>timeout</c> is read and checked but the switch is
/// immediate.
/// </summary>
internal sealed class NotifyBackground : IBemsMethod
{
    public string Name => MethodNames.NotifyBackground;
    public bool? Background => false;

    public Reply Invoke(RpcCall call)
    {
        var session = call.Session;
        var background = call.Params.OptionalBoolean("isBackgroundMode")
            ?? throw call.Params.Invalid("isBackgroundMode", "Missing required parameter 'isBackgroundMode' (a boolean).");
        _ = NonNegative(call, "timeout");
        var unread = NonNegative(call, "unreadMessageCount") ?? 0;
        var maxLength = NonNegative(call, "pushMaxLength");
        var pushType = PushTypes.Default;
        if (call.Params.OptionalStringOrNumber("pushType") is { } raw && !PushTypes.TryParse(raw, out pushType))
            throw call.Params.Invalid("pushType", $"pushType '{raw}' is not one of {PushTypes.Describe()}.");

        session.Background = background ? new BackgroundMode(unread, pushType, maxLength, call.Tenant.Pushes) : null;
        call.Complete(new MethodData(Name));
        return call.Processing(new MethodData(Name));
    }

    private static long? NonNegative(RpcCall call, string name)
    {
        var value = call.Params.OptionalInteger(name);
        if (value < 0) throw call.Params.Invalid(name, $"{name} must not be negative.");
        return value;
    }
}
