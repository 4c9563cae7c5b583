namespace BemsServer.Dispatch;

/// <summary>
/// One BEMS request method. Implementations are stateless singletons: they validate the call, change state through the
/// tenant's services, and return the immediate response plus the effects to release once that response is on the wire.
/// </summary>
internal interface IBemsMethod
{
    /// <summary>The wire name (see <see cref="Protocol.MethodNames"/>).</summary>
    string Name { get; }

    /// <summary>Further wire names the method answers to (the documentation's samples use some other spellings).</summary>
    IReadOnlyList<string> Aliases => [];

    /// <summary>
    /// The top-level <c>background</c> of the PROCESSING response as documented (spec §2.8); <c>null</c> where the documented
    /// response has none.
    /// </summary>
    bool? Background { get; }

    /// <summary>Whether the call needs a begun session; only BeginSession does not.</summary>
    bool RequiresSession => true;

    Reply Invoke(RpcCall call);
}
