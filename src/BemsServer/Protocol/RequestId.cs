using System.Globalization;

namespace BemsServer.Protocol;

/// <summary>
/// A JSON-RPC request id as BEMS uses it: a string (<c>"c5"</c>) or an integer, an explicit <c>null</c> (the id of an
/// error answering a message whose id could not be read), or none at all (frames that answer no request).
/// </summary>
internal readonly record struct RequestId
{
    private readonly byte _kind; // 0: not specified, 1: null, 2: string, 3: number

    public RequestId(string text) => (String, _kind) = (text, 2);

    public RequestId(long number) => (Number, _kind) = (number, 3);

    private RequestId(byte kind) => _kind = kind;

    /// <summary>No id (the default): a frame that answers no request.</summary>
    public static RequestId NotSpecified => default;

    /// <summary>An explicit <c>null</c> id.</summary>
    public static RequestId Null { get; } = new(1);

    public string? String { get; }

    public long? Number { get; }

    public bool IsEmpty => _kind == 0;

    public bool IsNull => _kind == 1;

    public override string ToString() => _kind switch
    {
        2 => String!,
        3 => Number!.Value.ToString(CultureInfo.InvariantCulture),
        1 => "null",
        _ => "",
    };
}
