namespace BemsServer.Dispatch;

/// <summary>
/// One BEMS request method. Implementations are stateless singletons: they validate the call, change state through the
/// tenant's services, and return the immediate response plus the effects to release once that response is on the wire.
/// </summary>
public interface IBemsMethod
{
    /// <summary>The wire name (see <see cref="Protocol.MethodNames"/>).</summary>
    string Name { get; }

    /// <summary>Further wire names the method answers to (the documentation's samples use some other spellings).</summary>
    IReadOnlyList<string> Aliases => [];

    /// <summary>Whether the call needs a begun session; only BeginSession does not.</summary>
    bool RequiresSession => true;

    Reply Invoke(RpcCall call);
}
